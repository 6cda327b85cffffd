package io.runstream.ingest.remotewrite;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.CodedInputStream;

import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.ingest.IngestSettings;
import io.runstream.ingest.kafka.RecordPublisher.Keyed;
import io.runstream.ingest.parse.RejectedInput;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.Label;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.MetricMetadata;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.Sample;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.TimeSeries;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.WriteRequest;
import io.runstream.schemas.PartitionKeys;

/**
 * A remote-write 1.0 body (snappy block of a protobuf {@code WriteRequest}) into one {@link MetricSample} per
 * sample, keyed by service. The whole request is validated before anything is returned, so a bad series
 * rejects the request and nothing of it is produced.
 *
 * <p>Stale markers (the NaN Prometheus writes when a series disappears) carry no value and are dropped and
 * counted; any other NaN or infinity is a legitimate Prometheus value (0/0 ratios, empty quantiles) and is
 * passed on as it is.
 */
public final class RemoteWriteParser {

    /** Prometheus's stale marker: one specific NaN bit pattern (value.StaleNaN). */
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    private static final String NAME = "__name__";

    private final SnappyBlock snappy;
    private final MetricKinds kinds;
    private final IngestSettings.RemoteWrite settings;

    public RemoteWriteParser(IngestSettings.RemoteWrite settings, MetricKinds kinds) {
        this.snappy = new SnappyBlock(settings.maxDecodedBytes());
        this.kinds = kinds;
        this.settings = settings;
    }

    /** The samples of one request and how many stale markers were dropped. */
    public record Parsed(List<Keyed<MetricSample>> samples, int staleMarkers) {
    }

    public Parsed parse(byte[] body) throws RejectedInput {
        WriteRequest request = decode(snappy.decompress(body));
        request.getMetadataList().forEach(kinds::remember);
        List<Keyed<MetricSample>> samples = new ArrayList<>(request.getTimeseriesCount() * 2);
        int stale = 0;
        for (int i = 0; i < request.getTimeseriesCount(); i++) {
            stale += addSeries(request.getTimeseries(i), i, samples);
        }
        return new Parsed(samples, stale);
    }

    private static WriteRequest decode(byte[] bytes) throws RejectedInput {
        WriteRequest request;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            // Protobuf's default limit is 100; a WriteRequest is 3 deep, so anything deeper is hostile.
            in.setRecursionLimit(16);
            request = WriteRequest.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (IOException e) {
            // InvalidProtocolBufferException for bad bytes; nothing else can fail reading from an array.
            throw RejectedInput.invalid("invalid_protobuf", "the body is not a remote-write WriteRequest: "
                    + e.getMessage(), null);
        }
        // Arbitrary bytes can parse as a message of unknown fields only; a real request has series or metadata.
        if (request.getTimeseriesCount() == 0 && request.getMetadataCount() == 0
                && !request.getUnknownFields().asMap().isEmpty()) {
            throw RejectedInput.invalid("invalid_protobuf", "the body holds no remote-write timeseries or metadata",
                    null);
        }
        return request;
    }

    private int addSeries(TimeSeries series, int index, List<Keyed<MetricSample>> out) throws RejectedInput {
        String name = null;
        if (series.getLabelsCount() > settings.maxLabelsPerSeries()) {
            throw RejectedInput.invalid("too_many_labels", "the series has " + series.getLabelsCount()
                    + " labels, more than the limit of " + settings.maxLabelsPerSeries(),
                    "timeseries[" + index + "].labels");
        }
        Map<String, String> labels = new HashMap<>(series.getLabelsCount() * 2);
        for (int l = 0; l < series.getLabelsCount(); l++) {
            Label label = series.getLabels(l);
            if (label.getName().isEmpty()) {
                throw RejectedInput.invalid("invalid_label", "a label name is empty",
                        "timeseries[" + index + "].labels[" + l + "].name");
            }
            if (label.getName().length() > settings.maxLabelNameChars()) {
                throw RejectedInput.invalid("label_too_long", "a label name is longer than "
                        + settings.maxLabelNameChars() + " characters", "timeseries[" + index + "].labels[" + l
                        + "].name");
            }
            if (label.getValue().length() > settings.maxLabelValueChars()) {
                throw RejectedInput.invalid("label_too_long", "the value of label " + abbreviated(label.getName())
                        + " is longer than " + settings.maxLabelValueChars() + " characters",
                        "timeseries[" + index + "].labels[" + l + "].value");
            }
            if (NAME.equals(label.getName())) {
                name = label.getValue();
            } else {
                labels.put(label.getName(), label.getValue());
            }
        }
        if (name == null || name.isEmpty()) {
            throw RejectedInput.invalid("missing_field", "the series has no metric name",
                    "timeseries[" + index + "].labels." + NAME);
        }
        String service = service(labels);
        MetricKind kind = kinds.of(name);
        int stale = 0;
        for (int s = 0; s < series.getSamplesCount(); s++) {
            Sample sample = series.getSamples(s);
            if (sample.getTimestamp() <= 0) {
                throw RejectedInput.invalid("invalid_timestamp", "a sample needs a positive millisecond timestamp, got "
                        + sample.getTimestamp(), "timeseries[" + index + "].samples[" + s + "].timestamp");
            }
            if (isStaleMarker(sample.getValue())) {
                stale++;
                continue;
            }
            // One map per series is shared by its samples: records are serialized, never mutated, downstream.
            MetricSample record = new MetricSample(name, service, labels, kind, sample.getValue(),
                    Instant.ofEpochMilli(sample.getTimestamp()));
            out.add(new Keyed<>(PartitionKeys.metricSample(record), record));
        }
        return stale;
    }

    private String service(Map<String, String> labels) {
        String service = labels.get(settings.serviceLabel());
        if (service != null && !service.isEmpty()) {
            return service;
        }
        for (String fallback : settings.fallbackLabels()) {
            String value = labels.get(fallback);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return settings.defaultService();
    }

    private static String abbreviated(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    static boolean isStaleMarker(double value) {
        return Double.doubleToRawLongBits(value) == STALE_NAN_BITS;
    }
}
