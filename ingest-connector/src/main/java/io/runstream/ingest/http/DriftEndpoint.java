package io.runstream.ingest.http;

import java.util.List;

import org.eclipse.jetty.server.Request;

import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.avro.DriftScore;
import io.runstream.ingest.kafka.RecordPublisher;
import io.runstream.ingest.kafka.RecordPublisher.KafkaUnavailable;
import io.runstream.ingest.kafka.RecordPublisher.Keyed;
import io.runstream.ingest.parse.DriftReportParser;
import io.runstream.ingest.parse.RejectedInput;
import io.runstream.schemas.PartitionKeys;
import io.runstream.schemas.Topic;

/** {@code POST /api/v1/drift}: one drift report, one DriftScore keyed by model; 202 once in Kafka. */
public final class DriftEndpoint extends JsonIngestEndpoint {

    private final DriftReportParser parser;
    private final RecordPublisher publisher;
    private final Topic<String, DriftScore> topic;

    public DriftEndpoint(DriftReportParser parser, RecordPublisher publisher, Topic<String, DriftScore> topic,
            EndpointAuth auth, long maxBodyBytes, MeterRegistry registry, long retryAfterSeconds) {
        super("drift", auth, maxBodyBytes, registry, retryAfterSeconds);
        this.parser = parser;
        this.publisher = publisher;
        this.topic = topic;
    }

    @Override
    protected int ingest(byte[] body, Request request) throws RejectedInput, KafkaUnavailable {
        DriftScore score = parser.parse(body);
        publisher.publish(topic, List.of(new Keyed<>(PartitionKeys.driftScore(score), score)));
        return 202;
    }
}
