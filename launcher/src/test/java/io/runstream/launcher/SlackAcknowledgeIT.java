package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.common.service.RunstreamService;
import io.runstream.launcher.api.IncidentApiClient;
import io.runstream.launcher.scenario.IngestClient.WebhookAlert;
import io.runstream.launcher.scenario.IngestClient;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.testing.CommittedRecords;
import io.runstream.testing.FakeSlackWebApi;
import io.runstream.testing.IncidentJson;
import io.runstream.testing.RecordingHttpReceiver;
import io.runstream.testing.SlackInteractivitySigner;

/**
 * Issue 18's "done when", across the whole stack as {@code runstream run} starts it, with the Slack app configured
 * (bot token, channel id, signing secret) against a local Web API and PagerDuty pointed at a local receiver: an
 * incident's Slack message gets an Acknowledge click, signed as Slack signs it, at the ingest connector -> the
 * incident is ACKNOWLEDGED by the Slack user, its escalation to the tech lead stops, PagerDuty gets {@code acknowledge}, and the
 * message is edited to say who acknowledged it. Forged and replayed clicks are refused with 401 and change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlackAcknowledgeIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALERTMANAGER_TOKEN = "slack-ack-alertmanager-token";
    private static final String BOT_TOKEN = "xoxb-slack-ack-it";
    private static final String SIGNING_SECRET = "slack-ack-signing-secret";
    private static final String ONCALL_CHANNEL = "C0MLOPSONCALL";

    private final SlackInteractivitySigner slackSigns = new SlackInteractivitySigner(SIGNING_SECRET);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeSlackWebApi slack;
    private RecordingHttpReceiver pagerDuty;
    private Stack stack;
    private IngestClient alertmanager;
    private IncidentApiClient api;

    @BeforeAll
    void startTheStack(@TempDir Path dir) throws Exception {
        slack = new FakeSlackWebApi(BOT_TOKEN);
        pagerDuty = RecordingHttpReceiver.answering(202, "{\"status\":\"success\",\"message\":\"Event processed\"}");
        Map<String, String> env = new HashMap<>();
        env.put("RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TYPE", "bearer");
        env.put("RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TOKEN", ALERTMANAGER_TOKEN);
        env.put("RUNSTREAM_SLACK_SIGNING_SECRET", SIGNING_SECRET);
        env.put("RUNSTREAM_NOTIFICATIONS_PAGERDUTY_URL", pagerDuty.uri("/v2/enqueue").toString());
        env.put("RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEY", "slack-ack-routing-key");
        env.put("RUNSTREAM_NOTIFICATIONS_SLACK_BOT_TOKEN", BOT_TOKEN);
        env.put("RUNSTREAM_NOTIFICATIONS_SLACK_API_URL", slack.baseUri().toString());
        env.put("RUNSTREAM_NOTIFICATIONS_SLACK_CHANNEL_IDS_ML_OPS_ONCALL", ONCALL_CHANNEL);
        env.put("RUNSTREAM_STREAMS_STATE_DIR", dir.resolve("streams-state").toString());
        stack = Stack.start(new StackOptions(null, null, 0, true, null, false, WriteToken.generate(), null), env);
        for (RunstreamService service : stack.services()) {
            URI health = service.endpoints().entrySet().stream().filter(e -> e.getKey().endsWith("health"))
                    .map(Map.Entry::getValue).findFirst().orElseThrow();
            Ready.await(health, Duration.ofSeconds(120));
        }
        alertmanager = new IngestClient(stack.endpoint("alertmanager webhook").resolve("/"), ALERTMANAGER_TOKEN);
        api = new IncidentApiClient(stack.endpoint("incident API").resolve("/"), null, Duration.ofSeconds(30),
                Clock.systemUTC());
    }

    @AfterAll
    void stopEverything() {
        if (stack != null) {
            stack.close();
        }
        if (slack != null) {
            slack.close();
        }
        if (pagerDuty != null) {
            pagerDuty.close();
        }
    }

    @Test
    void acknowledgeClickedInSlackAcknowledgesTheIncidentStopsEscalationTellsPagerDutyAndEditsTheMessage()
            throws Exception {
        // given: runbook 003's HighErrorRate, critical: a P1 that pages at once and is posted to #ml-ops-oncall
        alertmanager.alertmanager(List.of(new WebhookAlert("slack-ack-inference-gateway", true,
                Map.of("alertname", "HighErrorRate", "severity", "critical", "namespace", "ml-prod", "service",
                        "inference-gateway"),
                Map.of("summary", "inference-gateway: 12 % of requests fail with 5xx"), Instant.now(), null)));
        String id = awaitIncident(i -> true).path("id").asText();
        FakeSlackWebApi.Call posted = await("the incident's Slack message").atMost(WITHIN)
                .until(() -> messagesOf(id, "chat.postMessage"), calls -> !calls.isEmpty()).get(0);
        assertThat(posted.body().path("channel").asText()).isEqualTo(ONCALL_CHANNEL);
        assertThat(buttons(posted.body())).contains("runstream_acknowledge", "runstream_resolve");
        String ts = await("ts of the message").atMost(WITHIN).until(() -> tsOf(id), found -> found != null);
        awaitPages(id, "trigger");
        await("the tech lead's page is due").atMost(WITHIN).ignoreExceptions()
                .until(() -> pendingSteps(id), pending -> pending.contains("page-tech-lead"));

        // the button hands back what the worker put on it: the incident and its correlation key, by which the
        // processor routes the click's command with no lookup (issue 19)
        String value = buttonValue(posted.body(), "runstream_acknowledge");
        assertThat(JSON.readTree(value).path("incidentId").asText()).isEqualTo(id);
        assertThat(JSON.readTree(value).path("correlationKey").asText()).isEqualTo("ml-prod/inference-gateway");

        // when: a forged click and a replayed old one arrive
        var forged = new SlackInteractivitySigner("guessed-secret").buttonClick("runstream_acknowledge", value,
                "U0MALLORY", "mallory", Instant.now());
        var replayed = slackSigns.buttonClick("runstream_acknowledge", value, "U0MALLORY", "mallory",
                Instant.now().minus(Duration.ofMinutes(10)));
        HttpResponse<String> forgedAnswer = click(forged);
        HttpResponse<String> replayedAnswer = click(replayed);

        // then: both are refused with a JSON reason, and nothing changes
        assertThat(forgedAnswer.statusCode()).isEqualTo(401);
        assertThat(forgedAnswer.body()).contains("bad_signature");
        assertThat(replayedAnswer.statusCode()).isEqualTo(401);
        assertThat(replayedAnswer.body()).contains("stale_timestamp");
        assertThat(awaitIncident(i -> true).path("state").asText()).isEqualTo("OPEN");

        // when: alice clicks Acknowledge on the message
        HttpResponse<String> answer = click(slackSigns.buttonClick("runstream_acknowledge", value, "U0ALICE", "alice",
                Instant.now()));

        // then: Slack is answered at once, the incident is acknowledged by her ...
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode acknowledged = awaitIncident(i -> IncidentJson.reached(i, "ACKNOWLEDGED"));
        assertThat(acknowledged.path("acknowledgedBy").asText()).isEqualTo("slack:alice");
        // ... PagerDuty is told under the incident's dedup key, and the escalation chain stops
        JsonNode acknowledge = awaitPages(id, "trigger", "acknowledge").get(1);
        assertThat(acknowledge.path("dedup_key").asText()).isEqualTo(id);
        // (runbook 001: the tech lead is paged only while nobody handles it; the VP's page waits on resolution)
        await("the tech lead's page stopped").atMost(WITHIN).ignoreExceptions()
                .until(() -> pendingSteps(id), pending -> !pending.contains("page-tech-lead"));
        // ... and the same Slack message now says who acknowledged it, without the Acknowledge button
        FakeSlackWebApi.Call update = await("chat.update of the message").atMost(WITHIN)
                .until(() -> messagesOf(id, "chat.update"), calls -> calls.stream()
                        .anyMatch(c -> c.body().toString().contains("Acknowledged by slack:alice")))
                .stream().filter(c -> c.body().toString().contains("Acknowledged by slack:alice")).findFirst()
                .orElseThrow();
        assertThat(update.body().path("channel").asText()).isEqualTo(ONCALL_CHANNEL);
        assertThat(update.body().path("ts").asText()).isEqualTo(ts);
        assertThat(buttons(slack.message(ONCALL_CHANNEL, ts))).doesNotContain("runstream_acknowledge")
                .contains("runstream_resolve");
        assertThat(slack.message(ONCALL_CHANNEL, ts).toString()).contains("Acknowledged by slack:alice");
        assertThat(messagesOf(id, "chat.postMessage")).as("one message for the incident").hasSize(1);
    }

    @Test
    void clickForAnUnknownIncidentIsAcceptedByTheEndpointAndRejectedByTheProcessorOnItsTimeline() throws Exception {
        // given: a validly signed click naming an incident Runstream never had
        String unknown = "INC-0000NOSUCH";

        // when: it arrives at the ingest connector
        HttpResponse<String> answer = click(slackSigns.buttonClick("runstream_resolve",
                "{\"incidentId\":\"" + unknown + "\"}", "U0BOB", "bob", Instant.now()));

        // then: the endpoint checks shape only (200), and the processor refuses it as the API's commands are
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        TopicCatalog catalog = new TopicCatalog(stack.kafka().topicSettings(), RunstreamSerdes.avro());
        IncidentEvent rejected = await("the rejection of the unknown incident's command").atMost(WITHIN)
                .until(() -> CommittedRecords.read(stack.kafka().clientProperties(), catalog.incidentEvents().name(),
                        catalog.incidentEvents().keySerde().deserializer(),
                        catalog.incidentEvents().valueSerde().deserializer()).stream()
                        .filter(r -> unknown.equals(r.key())).map(ConsumerRecord::value).toList(),
                        events -> !events.isEmpty()).get(0);
        assertThat(rejected.getType()).isEqualTo(IncidentEventType.COMMAND_REJECTED);
        assertThat(rejected.getMessage()).contains("no incident " + unknown);
        assertThat(rejected.getDetails()).containsEntry("source", "slack");
    }

    private HttpResponse<String> click(SlackInteractivitySigner.Signed signed) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(stack.endpoint("slack interactivity"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", signed.timestamp())
                .header("X-Slack-Signature", signed.signature())
                .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body())).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitIncident(Predicate<JsonNode> until) {
        return await("incident of inference-gateway").atMost(WITHIN).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> {
                    List<JsonNode> items = api.list(Map.of("service", "inference-gateway"), 10);
                    return items.isEmpty() ? null : api.incident(items.get(0).path("id").asText());
                }, found -> found != null && until.test(found));
    }

    private List<FakeSlackWebApi.Call> messagesOf(String incidentId, String method) {
        return slack.calls(method).stream()
                .filter(c -> c.body().path("text").asText().contains("Incident " + incidentId)).toList();
    }

    /** The ts Slack gave the incident's message, as the worker's result recorded it. */
    private String tsOf(String incidentId) throws InterruptedException {
        for (JsonNode entry : api.incident(incidentId).path("timeline")) {
            String ts = entry.path("details").path("after.slackTs").asText("");
            if ("ACTION_RESULT".equals(entry.path("type").asText()) && !ts.isEmpty()) {
                return ts;
            }
        }
        return null;
    }

    private List<JsonNode> awaitPages(String incidentId, String... actions) {
        List<JsonNode> pages = await("PagerDuty " + String.join(", ", actions)).atMost(WITHIN)
                .until(() -> pagerDuty.requests().stream().map(RecordingHttpReceiver.Request::json)
                        .filter(e -> incidentId.equals(e.path("dedup_key").asText())).toList(),
                        found -> found.size() >= actions.length);
        assertThat(pages).extracting(p -> p.path("event_action").asText()).containsExactly(actions);
        return pages;
    }

    /** The names of the incident's pending escalation steps, from {@code GET /api/v1/escalations}. */
    private List<String> pendingSteps(String incidentId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.endpoint("incident API")
                .resolve("/api/v1/escalations")).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> steps = new ArrayList<>();
        JSON.readTree(response.body()).path("items").forEach(item -> {
            if (incidentId.equals(item.path("incidentId").asText())) {
                steps.add(item.path("step").asText());
            }
        });
        return steps;
    }

    private static String buttonValue(JsonNode message, String actionId) {
        for (JsonNode block : message.path("blocks")) {
            for (JsonNode element : block.path("elements")) {
                if (actionId.equals(element.path("action_id").asText())) {
                    return element.path("value").asText();
                }
            }
        }
        throw new AssertionError("no button " + actionId + " in " + message);
    }

    private static List<String> buttons(JsonNode message) {
        List<String> ids = new ArrayList<>();
        message.path("blocks").forEach(block -> {
            if ("actions".equals(block.path("type").asText())) {
                block.path("elements").forEach(e -> ids.add(e.path("action_id").asText()));
            }
        });
        return ids;
    }
}
