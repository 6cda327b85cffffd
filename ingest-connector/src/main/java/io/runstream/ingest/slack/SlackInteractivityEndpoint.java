package io.runstream.ingest.slack;

import java.util.List;
import java.util.Optional;

import org.eclipse.jetty.server.Request;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.avro.IncidentCommand;
import io.runstream.ingest.http.EndpointAuth;
import io.runstream.ingest.http.IngestEndpoint;
import io.runstream.ingest.kafka.RecordPublisher;
import io.runstream.ingest.kafka.RecordPublisher.KafkaUnavailable;
import io.runstream.ingest.kafka.RecordPublisher.Keyed;
import io.runstream.ingest.parse.RejectedInput;
import io.runstream.schemas.PartitionKeys;
import io.runstream.schemas.Topic;

/**
 * {@code POST /api/v1/slack/interactivity}: a Runstream button clicked in Slack. The signature is checked over the
 * raw body before anything is parsed (401, nothing published); a click becomes an IncidentCommand keyed by incident
 * id, published as the incident API's are, and answered 200 with an empty body so Slack keeps the message as it is
 * (the workers edit it when the processor's notice arrives). Slack's own signature replaces bearer/basic auth.
 */
public final class SlackInteractivityEndpoint extends IngestEndpoint {

    /** Slack's payloads carry the whole message; a Runstream message is far below this. */
    public static final long MAX_BODY_BYTES = 256 * 1024;

    private final SlackSignature signature;
    private final SlackInteractionParser parser;
    private final RecordPublisher publisher;
    private final Topic<String, IncidentCommand> topic;
    private final Counter ignored;

    public SlackInteractivityEndpoint(SlackSignature signature, SlackInteractionParser parser,
            RecordPublisher publisher, Topic<String, IncidentCommand> topic, long maxBodyBytes, MeterRegistry registry,
            long retryAfterSeconds) {
        super("slack", EndpointAuth.none(), Math.min(maxBodyBytes, MAX_BODY_BYTES), registry, retryAfterSeconds);
        this.signature = signature;
        this.parser = parser;
        this.publisher = publisher;
        this.topic = topic;
        this.ignored = Counter.builder("runstream_ingest_slack_ignored")
                .description("Slack interactions that are not Runstream's buttons").register(registry);
    }

    @Override
    protected boolean acceptsMediaType(String mediaType, Request request) {
        return mediaType.equals("application/x-www-form-urlencoded");
    }

    @Override
    protected String expectedMediaType() {
        return "application/x-www-form-urlencoded";
    }

    @Override
    protected int ingest(byte[] body, Request request) throws RejectedInput, KafkaUnavailable {
        signature.verify(request.getHeaders().get(SlackSignature.TIMESTAMP_HEADER),
                request.getHeaders().get(SlackSignature.SIGNATURE_HEADER), body);
        Optional<IncidentCommand> command = parser.parse(body);
        if (command.isEmpty()) {
            ignored.increment();
            return 200;
        }
        publisher.publish(topic, List.of(new Keyed<>(PartitionKeys.incidentCommand(command.get()), command.get())));
        return 200;
    }
}
