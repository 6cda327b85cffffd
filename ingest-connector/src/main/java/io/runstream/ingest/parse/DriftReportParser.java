package io.runstream.ingest.parse;

import java.util.Map;

import io.runstream.avro.DriftScore;

/**
 * A JSON drift report (Evidently-style dataset drift plus optional accuracy) into a {@link DriftScore}:
 * <pre>{@code
 * {"model": "fraud-scorer", "modelVersion": "2026.11.3", "service": "fraud-api", "namespace": "payments",
 *  "datasetDrift": true, "driftShare": 0.42, "featureScores": {"amount": 0.31, "country": 0.12},
 *  "accuracy": 0.81, "referenceAccuracy": 0.93, "timestamp": "2026-11-22T18:00:00Z"}
 * }</pre>
 */
public final class DriftReportParser {

    private final StrictJson json;

    public DriftReportParser(StrictJson json) {
        this.json = json;
    }

    public DriftScore parse(byte[] body) throws RejectedInput {
        StrictJson.Obj root = json.readObject(body);
        Map<String, Double> features = root.numberMap("featureScores");
        for (Map.Entry<String, Double> feature : features.entrySet()) {
            if (!Double.isFinite(feature.getValue()) || feature.getValue() < 0) {
                throw RejectedInput.invalid("invalid_value", "a drift score must be a non-negative number",
                        "featureScores." + feature.getKey());
            }
        }
        return DriftScore.newBuilder()
                .setModel(root.requiredNonBlank("model"))
                .setModelVersion(root.optionalString("modelVersion"))
                .setService(root.optionalString("service"))
                .setNamespace(root.optionalString("namespace"))
                .setDatasetDrift(root.requiredBoolean("datasetDrift"))
                .setDriftShare(root.requiredFraction("driftShare"))
                .setFeatureScores(features)
                .setAccuracy(root.optionalFraction("accuracy"))
                .setReferenceAccuracy(root.optionalFraction("referenceAccuracy"))
                .setTimestamp(root.requiredTimestamp("timestamp"))
                .build();
    }
}
