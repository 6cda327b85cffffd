package io.runstream.ingest.http;

import java.util.List;
import java.util.Optional;

import org.eclipse.jetty.server.Request;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.avro.IncidentCommand;
import io.runstream.ingest.kafka.RecordPublisher;
import io.runstream.ingest.kafka.RecordPublisher.KafkaUnavailable;
import io.runstream.ingest.kafka.RecordPublisher.Keyed;
import io.runstream.ingest.parse.PagerDutyWebhookParser;
import io.runstream.ingest.parse.RejectedInput;
import io.runstream.schemas.PartitionKeys;
import io.runstream.schemas.Topic;

/**
 * {@code POST /api/v1/pagerduty}: PagerDuty webhook v3. Acknowledge and resolve become IncidentCommands keyed by
 * incident id; other event types are answered 202 and counted as ignored.
 */
public final class PagerDutyEndpoint extends JsonIngestEndpoint {

    private final PagerDutyWebhookParser parser;
    private final RecordPublisher publisher;
    private final Topic<String, IncidentCommand> topic;
    private final Counter ignored;

    public PagerDutyEndpoint(PagerDutyWebhookParser parser, RecordPublisher publisher,
            Topic<String, IncidentCommand> topic, EndpointAuth auth, long maxBodyBytes, MeterRegistry registry,
            long retryAfterSeconds) {
        super("pagerduty", auth, maxBodyBytes, registry, retryAfterSeconds);
        this.parser = parser;
        this.publisher = publisher;
        this.topic = topic;
        this.ignored = Counter.builder("runstream_ingest_pagerduty_ignored")
                .description("PagerDuty events of types Runstream does not act on").register(registry);
    }

    @Override
    protected int ingest(byte[] body, Request request) throws RejectedInput, KafkaUnavailable {
        Optional<IncidentCommand> command = parser.parse(body);
        if (command.isEmpty()) {
            ignored.increment();
            return 202;
        }
        publisher.publish(topic, List.of(new Keyed<>(PartitionKeys.incidentCommand(command.get()), command.get())));
        return 202;
    }
}
