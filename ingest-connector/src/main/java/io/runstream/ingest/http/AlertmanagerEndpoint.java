package io.runstream.ingest.http;

import java.util.List;

import org.eclipse.jetty.server.Request;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.avro.Alert;
import io.runstream.ingest.kafka.RecordPublisher;
import io.runstream.ingest.kafka.RecordPublisher.KafkaUnavailable;
import io.runstream.ingest.kafka.RecordPublisher.Keyed;
import io.runstream.ingest.parse.AlertmanagerWebhookParser;
import io.runstream.ingest.parse.RejectedInput;
import io.runstream.schemas.PartitionKeys;
import io.runstream.schemas.Topic;

/** {@code POST /api/v1/alertmanager}: a webhook notification, one Alert record per alert, keyed by fingerprint. */
public final class AlertmanagerEndpoint extends JsonIngestEndpoint {

    private final AlertmanagerWebhookParser parser;
    private final RecordPublisher publisher;
    private final Topic<String, Alert> topic;
    private final Counter alerts;

    public AlertmanagerEndpoint(AlertmanagerWebhookParser parser, RecordPublisher publisher, Topic<String, Alert> topic,
            EndpointAuth auth, long maxBodyBytes, MeterRegistry registry, long retryAfterSeconds) {
        super("alertmanager", auth, maxBodyBytes, registry, retryAfterSeconds);
        this.parser = parser;
        this.publisher = publisher;
        this.topic = topic;
        this.alerts = Counter.builder("runstream_ingest_alerts").description("Alerts produced to Kafka")
                .register(registry);
    }

    @Override
    protected int ingest(byte[] body, Request request) throws RejectedInput, KafkaUnavailable {
        List<Keyed<Alert>> records = parser.parse(body).stream()
                .map(alert -> new Keyed<>(PartitionKeys.alert(alert), alert)).toList();
        publisher.publish(topic, records);
        alerts.increment(records.size());
        return 200;
    }
}
