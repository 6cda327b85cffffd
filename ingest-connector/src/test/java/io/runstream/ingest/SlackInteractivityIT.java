package io.runstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentCommandType;
import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.ingest.slack.SlackSettings;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.SlackInteractivitySigner;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/** {@code POST /api/v1/slack/interactivity} on a real connector and broker: clicks publish, bad requests don't. */
@WithKafka
class SlackInteractivityIT {

    private static final String SECRET = "slack-signing-secret-for-tests";
    private static final String PATH = "/api/v1/slack/interactivity";
    private static final String FORM = "application/x-www-form-urlencoded";

    private final SlackInteractivitySigner slack = new SlackInteractivitySigner(SECRET);
    private ConnectorFixture fixture;
    private TopicCatalog catalog;

    @BeforeEach
    void start(TestKafka kafka) {
        fixture = new ConnectorFixture(new KafkaSettings(kafka.bootstrapServers(), kafka.topicPrefix(), 1, (short) 1,
                Map.of()), ConnectorFixture.settings(), HttpSettings.loopback(),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                new SlackSettings(SECRET, Duration.ofMinutes(5), Map.of("U0ALICE", "alice")));
        catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 1, (short) 1), RunstreamSerdes.avro());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void signedAcknowledgeClickIsPublishedAsAnIncidentCommandAndAnswered200() throws Exception {
        var click = slack.buttonClick("runstream_acknowledge", "{\"incidentId\":\"inc-checkout-1\"}", "U0ALICE",
                "alice.smith", Instant.now());

        HttpResponse<String> response = post(click.body(), click.timestamp(), click.signature());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var commands = fixture.readAll(catalog.incidentCommands());
        assertThat(commands).hasSize(1);
        IncidentCommand command = commands.get(0).value();
        assertThat(commands.get(0).key()).isEqualTo("inc-checkout-1");
        assertThat(command.getType()).isEqualTo(IncidentCommandType.ACKNOWLEDGE);
        assertThat(command.getActor()).isEqualTo("alice");
        assertThat(command.getSource()).isEqualTo("slack");
    }

    @Test
    void badRequestsGetJson4xxAndPublishNothing() throws Exception {
        Instant now = Instant.now();
        var good = slack.buttonClick("runstream_acknowledge", "{\"incidentId\":\"inc-1\"}", "U1", "bob", now);
        var forged = new SlackInteractivitySigner("guessed").buttonClick("runstream_acknowledge",
                "{\"incidentId\":\"inc-1\"}", "U1", "bob", now);
        var stale = slack.buttonClick("runstream_acknowledge", "{\"incidentId\":\"inc-1\"}", "U1", "bob",
                now.minus(Duration.ofMinutes(6)));
        var malformed = slack.sign("payload=%7Bnot-json", now);
        var wrongShape = slack.sign("payload=" + java.net.URLEncoder.encode(
                "{\"type\":\"block_actions\",\"actions\":\"ack\"}", StandardCharsets.UTF_8), now);
        var oversized = slack.sign("payload=" + "x".repeat(300 * 1024), now);
        SoftAssertions softly = new SoftAssertions();

        expect(softly, post(forged.body(), forged.timestamp(), forged.signature()), 401, "bad_signature");
        expect(softly, post(stale.body(), stale.timestamp(), stale.signature()), 401, "stale_timestamp");
        expect(softly, post(good.body(), null, good.signature()), 401, "missing_timestamp");
        expect(softly, post(good.body(), good.timestamp(), null), 401, "missing_signature");
        expect(softly, post(malformed.body(), malformed.timestamp(), malformed.signature()), 400, "malformed_json");
        expect(softly, post(wrongShape.body(), wrongShape.timestamp(), wrongShape.signature()), 400, "wrong_type");
        expect(softly, post(oversized.body(), oversized.timestamp(), oversized.signature()), 413, "body_too_large");
        expect(softly, fixture.post(PATH, "application/json", good.body(),
                "X-Slack-Request-Timestamp", good.timestamp(), "X-Slack-Signature", good.signature()), 415,
                "unsupported_media_type");
        softly.assertAll();

        assertThat(fixture.readAll(catalog.incidentCommands())).as("nothing published").isEmpty();
        var after = slack.buttonClick("runstream_resolve", "{\"incidentId\":\"inc-1\"}", "U1", "bob", Instant.now());
        assertThat(post(after.body(), after.timestamp(), after.signature()).statusCode())
                .as("the endpoint still serves").isEqualTo(200);
    }

    private HttpResponse<String> post(byte[] body, String timestamp, String signature) throws Exception {
        java.util.List<String> headers = new java.util.ArrayList<>();
        if (timestamp != null) {
            headers.addAll(java.util.List.of("X-Slack-Request-Timestamp", timestamp));
        }
        if (signature != null) {
            headers.addAll(java.util.List.of("X-Slack-Signature", signature));
        }
        return fixture.post(PATH, FORM, body, headers.toArray(String[]::new));
    }

    private static void expect(SoftAssertions softly, HttpResponse<String> response, int status, String reason) {
        softly.assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        softly.assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> softly.assertThat(type).startsWith("application/json"));
        softly.assertThat(response.body()).as("reason").contains("\"" + reason + "\"");
    }
}
