package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.runstream.common.service.RunstreamService;
import io.runstream.launcher.api.IncidentApiClient;
import io.runstream.launcher.e2e.TopicTails;
import io.runstream.launcher.scenario.IngestClient.WebhookAlert;
import io.runstream.launcher.scenario.IngestClient;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.testing.IncidentJson;
import io.runstream.testing.RecordingHttpReceiver.Request;
import io.runstream.testing.RecordingHttpReceiver;
import picocli.CommandLine;

/**
 * Issue 16's seam, processor to workers to the tools people answer from, across the whole stack as {@code runstream
 * run} starts it: the embedded broker, the ingest connector (its Alertmanager webhook behind a bearer token), the
 * stream processor with the shipped runbooks, the action workers (notifications are never held back by the workers'
 * dry-run mode), with PagerDuty, Slack and the ticket webhook configured as a deployment would, pointed at local
 * receivers. Alerts arrive as Alertmanager posts them; acknowledgement comes through {@code runstream ack}.
 *
 * <p>One stack for all cases; each case alerts on a service of its own, so its incident stands apart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagingLifecycleIT {

    /** Generous for the 2-core CI machine; each step takes a second or two when the machine is quiet. */
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String NAMESPACE = "ml-prod";
    private static final String ALERTMANAGER_TOKEN = "paging-lifecycle-alertmanager-token";
    private static final String ROUTING_KEY = "paging-lifecycle-routing-key";
    private static final String SLACK_PATH = "/services/T0PAGING/B0PAGING/paging-lifecycle";
    private static final String TICKET_PATH = "/hooks/tickets";

    private RecordingHttpReceiver pagerDuty;
    private RecordingHttpReceiver slack;
    private RecordingHttpReceiver tickets;
    private Stack stack;
    private IngestClient alertmanager;
    private IncidentApiClient api;
    private Path writeTokenFile;

    @RegisterExtension
    final TestExecutionExceptionHandler diagnostics = (context, failure) -> {
        System.err.println(diagnostics());
        throw failure;
    };

    @BeforeAll
    void startTheStackAsRunstreamRunDoes(@TempDir Path dir) throws Exception {
        // each answers as the real service does
        pagerDuty = RecordingHttpReceiver.answering(202, "{\"status\":\"success\",\"message\":\"Event processed\"}");
        slack = RecordingHttpReceiver.answering(200, "ok");
        tickets = RecordingHttpReceiver.answering(201, "{\"key\":\"MLP-1\"}");
        String writeToken = WriteToken.generate();
        writeTokenFile = dir.resolve("api-write-token");
        WriteToken.write(writeTokenFile, writeToken);
        // what a deployment sets in runstream run's environment (this JVM's own is left out: hermetic)
        Map<String, String> env = new HashMap<>();
        env.put("RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TYPE", "bearer");
        env.put("RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TOKEN", ALERTMANAGER_TOKEN);
        env.put("RUNSTREAM_NOTIFICATIONS_PAGERDUTY_URL", pagerDuty.uri("/v2/enqueue").toString());
        env.put("RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEY", ROUTING_KEY);
        env.put("RUNSTREAM_NOTIFICATIONS_SLACK_WEBHOOK_URL", slack.uri(SLACK_PATH).toString());
        env.put("RUNSTREAM_NOTIFICATIONS_TICKET_URL", tickets.uri(TICKET_PATH).toString());
        // the default state directory is shared by every stack on the machine with the same application id
        env.put("RUNSTREAM_STREAMS_STATE_DIR", dir.resolve("streams-state").toString());
        // runstream run --ephemeral-ports, on the embedded broker, no cluster, the shipped runbooks
        stack = Stack.start(new StackOptions(null, null, 0, true, null, false, writeToken, null), env);
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
        for (RecordingHttpReceiver receiver : new RecordingHttpReceiver[] {pagerDuty, slack, tickets}) {
            if (receiver != null) {
                receiver.close();
            }
        }
    }

    @Test
    void criticalAlertPagesAtOnceItsResolutionResolvesThePageAndItsReturnPagesAgain() throws Exception {
        // given: runbook 003's HighErrorRate, critical, on the inference gateway
        PrometheusAlert highErrorRate = PrometheusAlert.highErrorRate("inference-gateway", "critical",
                "inference-gateway: 12 % of requests fail with 5xx", Map.of());

        // when: Alertmanager posts it
        alertmanager.alertmanager(List.of(highErrorRate.firing()));

        // then: a P1 incident pages the on-call at once (runbook 003 "Page On-Call: Yes"; runbook 001 "Escalation
        // Decision Tree", P1 "Page on-call ML Ops Engineer"), PagerDuty's dedup_key being the incident id ...
        JsonNode incident = awaitIncident("inference-gateway", i -> true);
        String id = incident.path("id").asText();
        assertThat(incident.path("severity").asText()).isEqualTo("P1");
        JsonNode trigger = awaitPages(id, "trigger").get(0);
        assertThat(trigger.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(trigger.path("payload").path("severity").asText()).isEqualTo("critical");
        assertThat(trigger.path("payload").path("source").asText()).isEqualTo("inference-gateway");
        assertThat(trigger.path("payload").path("summary").asText()).contains("12 % of requests fail with 5xx");
        // ... and tells #ml-ops-oncall in Block Kit (runbook 003 "Communication", Initial Notification)
        JsonNode opened = awaitSlack(id, "INCIDENT").get(0);
        assertThat(opened.path("blocks").isArray()).isTrue();
        assertThat(opened.path("blocks")).isNotEmpty();
        assertThat(opened.path("text").asText()).contains("P1");

        // when: Prometheus resolves the alert and Alertmanager posts that
        alertmanager.alertmanager(List.of(highErrorRate.resolved(Instant.now())));

        // then: the PagerDuty incident is resolved under the same dedup_key (runbook 003 "Resolution & Cleanup",
        // "Step 4: Resolve PagerDuty Alert") and the resolution is posted to Slack (runbook 003 "Resolution
        // Notification")
        JsonNode resolve = awaitPages(id, "trigger", "resolve").get(1);
        assertThat(resolve.path("dedup_key").asText()).isEqualTo(id);
        assertThat(resolve.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
        JsonNode resolution = awaitSlack(id, "INCIDENT", "INCIDENT RESOLVED").get(1);
        assertThat(resolution.path("blocks")).isNotEmpty();
        assertThat(awaitIncident("inference-gateway", i -> IncidentJson.reached(i, "RESOLVED"))
                .path("resolvedBy").asText()).isEqualTo("alerts");

        // when: the error rate regresses and the same alert fires again, well inside the 30-minute reopen window
        alertmanager.alertmanager(List.of(highErrorRate.startingAgain(Instant.now()).firing()));

        // then: the incident reopens and pages again with a new trigger under its dedup_key, so PagerDuty opens a
        // new incident (runbook 001 "Phase 4: Recovery Validation", "Monitor closely": "immediate re-escalation")
        JsonNode reopened = awaitIncident("inference-gateway", i -> i.path("reopenCount").asInt() == 1);
        assertThat(reopened.path("id").asText()).isEqualTo(id);
        JsonNode triggerAgain = awaitPages(id, "trigger", "resolve", "trigger").get(2);
        assertThat(triggerAgain.path("dedup_key").asText()).isEqualTo(id);
        assertThat(awaitResult(id, id + "/reopen-1/escalation/page-on-call").path("details").path("outcome")
                .asText()).isEqualTo("SUCCEEDED");
        awaitSlack(id, "INCIDENT", "INCIDENT RESOLVED", "INCIDENT");
    }

    @Test
    void acknowledgingThroughTheCliAcknowledgesThePage() throws Exception {
        // given: a critical HighErrorRate on the model server has paged the on-call
        PrometheusAlert highErrorRate = PrometheusAlert.highErrorRate("model-server", "critical",
                "model-server: 9 % of predictions fail with 5xx", Map.of());
        alertmanager.alertmanager(List.of(highErrorRate.firing()));
        String id = awaitIncident("model-server", i -> true).path("id").asText();
        awaitPages(id, "trigger");

        // when: the on-call acknowledges it with runstream ack
        acknowledgeWithCli(id, "alice");

        // then: PagerDuty is told under the same dedup_key, so its own escalation stops too (runbook 003 "Triage",
        // "Step 1: Acknowledge the Alert": "Lets team know someone is handling the incident and stops escalation")
        JsonNode acknowledge = awaitPages(id, "trigger", "acknowledge").get(1);
        assertThat(acknowledge.path("dedup_key").asText()).isEqualTo(id);
        assertThat(acknowledge.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(awaitIncident("model-server", i -> IncidentJson.reached(i, "ACKNOWLEDGED"))
                .path("acknowledgedBy").asText()).isEqualTo("alice");
    }

    @Test
    void anAcknowledgedIncidentThatReturnsAfterItsResolutionPagesAgainAndIsAcknowledgedAnew() throws Exception {
        // given: a critical HighErrorRate on the fraud detector, paged, acknowledged by the on-call, then resolved
        PrometheusAlert highErrorRate = PrometheusAlert.highErrorRate("fraud-detector", "critical",
                "fraud-detector: 15 % of scoring requests fail with 5xx", Map.of());
        alertmanager.alertmanager(List.of(highErrorRate.firing()));
        String id = awaitIncident("fraud-detector", i -> true).path("id").asText();
        awaitPages(id, "trigger");
        acknowledgeWithCli(id, "alice");
        awaitPages(id, "trigger", "acknowledge");
        alertmanager.alertmanager(List.of(highErrorRate.resolved(Instant.now())));
        awaitPages(id, "trigger", "acknowledge", "resolve");

        // when: the error rate regresses inside the reopen window
        alertmanager.alertmanager(List.of(highErrorRate.startingAgain(Instant.now()).firing()));

        // then: the new episode pages again: the acknowledgement was of the episode that ended (runbook 001
        // "Phase 4: Recovery Validation", "immediate re-escalation") ...
        awaitPages(id, "trigger", "acknowledge", "resolve", "trigger");
        // (alice's acknowledgement was told to #ml-ops-oncall too: the update between the opening and resolution)
        awaitSlack(id, "INCIDENT", "INCIDENT UPDATE", "INCIDENT RESOLVED", "INCIDENT");
        // ... and whoever takes it acknowledges it anew (runbook 003 "Step 1: Acknowledge the Alert")
        acknowledgeWithCli(id, "bob");
        awaitPages(id, "trigger", "acknowledge", "resolve", "trigger", "acknowledge");
        assertThat(awaitIncident("fraud-detector", i -> IncidentJson.reached(i, "ACKNOWLEDGED"))
                .path("acknowledgedBy").asText()).isEqualTo("bob");
    }

    @Test
    void warningOpensATicketAndItsResolutionResolvesTheTicket() throws Exception {
        // given: a warning HighErrorRate on the feature store, 1.5 % measured: P3
        PrometheusAlert highErrorRate = PrometheusAlert.highErrorRate("feature-store", "warning",
                "feature-store: 1.5 % of lookups fail with 5xx", Map.of("kind", "error_ratio", "value", "0.015"));

        // when: Alertmanager posts it
        alertmanager.alertmanager(List.of(highErrorRate.firing()));

        // then: a ticket is opened in the ML platform queue with the incident id as its external reference
        // (runbook 001 "Escalation Decision Tree", P3 "Create Jira ticket") ...
        JsonNode incident = awaitIncident("feature-store", i -> true);
        String id = incident.path("id").asText();
        assertThat(incident.path("severity").asText()).isEqualTo("P3");
        Request opened = awaitTickets(id, "opened").get(0);
        assertThat(opened.method()).isEqualTo("POST");
        assertThat(opened.path()).isEqualTo(TICKET_PATH);
        assertThat(opened.json().path("incidentId").asText()).as("external reference").isEqualTo(id);
        assertThat(opened.json().path("queue").asText()).isEqualTo("ml-platform");
        assertThat(opened.json().path("severity").asText()).isEqualTo("P3");
        assertThat(opened.header("Idempotency-Key")).contains(id + "/escalation/open-ticket");
        // ... and the worker's result reaches the incident's timeline: the seam that used to refuse open-ticket
        JsonNode openResult = awaitResult(id, id + "/escalation/open-ticket");
        assertThat(openResult.path("details").path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(openResult.path("details").path("after.externalReference").asText()).isEqualTo(id);

        // when: the alert resolves
        alertmanager.alertmanager(List.of(highErrorRate.resolved(Instant.now())));

        // then: the ticket is resolved (runbook 003 "Resolution Notification", told to every channel that heard)
        Request resolved = awaitTickets(id, "opened", "resolved").get(1);
        assertThat(resolved.json().path("queue").asText()).isEqualTo("ml-platform");
        assertThat(resolved.json().path("resolvedBy").asText()).isEqualTo("alerts");
        assertThat(awaitResult(id, id + "/close-out/ticket/ml-platform").path("details").path("outcome").asText())
                .isEqualTo("SUCCEEDED");
        // and: P3 "No immediate page required", nor a Slack message
        assertThat(pages(id)).isEmpty();
        assertThat(slackMessages(id)).isEmpty();
    }

    /** One alert as Prometheus raises it and Alertmanager forwards it: the same labels and fingerprint each time. */
    private record PrometheusAlert(String fingerprint, Map<String, String> labels, Map<String, String> annotations,
            Instant startsAt) {

        static PrometheusAlert highErrorRate(String service, String severity, String summary,
                Map<String, String> measured) {
            Map<String, String> annotations = new HashMap<>(measured);
            annotations.put("summary", summary);
            annotations.put("runbook", "003 HighErrorRate");
            return new PrometheusAlert("paging-" + service, Map.of("alertname", "HighErrorRate", "severity", severity,
                    "namespace", NAMESPACE, "service", service), Map.copyOf(annotations), Instant.now());
        }

        WebhookAlert firing() {
            return new WebhookAlert(fingerprint, true, labels, annotations, startsAt, null);
        }

        WebhookAlert resolved(Instant endsAt) {
            return new WebhookAlert(fingerprint, false, labels, annotations, startsAt, endsAt);
        }

        /** The same alert after it resolved: a new start, the same fingerprint (Alertmanager's hash of labels). */
        PrometheusAlert startingAgain(Instant at) {
            return new PrometheusAlert(fingerprint, labels, annotations, at);
        }
    }

    /** {@code runstream ack ID} against the stack, with the write token from its file, as the on-call runs it. */
    private void acknowledgeWithCli(String incidentId, String actor) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new RunstreamCli()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute("ack", incidentId, "--api", api.base().toString(),
                        "--token-file", writeTokenFile.toString(), "--actor", actor);
        assertThat(exit).as("runstream ack: %s%s", out, err).isZero();
    }

    /** The service's only incident, with alerts and timeline, once it matches. */
    private JsonNode awaitIncident(String service, Predicate<JsonNode> until) {
        return await("incident of " + service).atMost(WITHIN).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> incidentOf(service), found -> found != null && until.test(found));
    }

    private JsonNode incidentOf(String service) throws InterruptedException {
        List<JsonNode> items = api.list(Map.of("service", service), 10);
        assertThat(items).as("incidents of %s", service).hasSizeLessThanOrEqualTo(1);
        return items.isEmpty() ? null : api.incident(items.get(0).path("id").asText());
    }

    /** The incident's PagerDuty events once there are as many as expected, checked to be exactly these actions. */
    private List<JsonNode> awaitPages(String incidentId, String... actions) {
        List<JsonNode> pages = await("PagerDuty " + String.join(", ", actions) + " for " + incidentId).atMost(WITHIN)
                .until(() -> pages(incidentId), found -> found.size() >= actions.length);
        assertThat(pages).extracting(page -> page.path("event_action").asText()).containsExactly(actions);
        return pages;
    }

    private List<JsonNode> pages(String incidentId) {
        return pagerDuty.requests().stream().map(Request::json)
                .filter(event -> incidentId.equals(event.path("dedup_key").asText())).toList();
    }

    /** The incident's Slack messages once there are as many as expected, checked to have exactly these headlines. */
    private List<JsonNode> awaitSlack(String incidentId, String... headlines) {
        List<JsonNode> messages = await("Slack " + String.join(", ", headlines) + " for " + incidentId)
                .atMost(WITHIN).until(() -> slackMessages(incidentId), found -> found.size() >= headlines.length);
        assertThat(messages).extracting(PagingLifecycleIT::headline).containsExactly(headlines);
        return messages;
    }

    private List<JsonNode> slackMessages(String incidentId) {
        return slack.requests().stream().filter(request -> request.path().equals(SLACK_PATH)).map(Request::json)
                .filter(message -> message.path("text").asText().contains("Incident " + incidentId)).toList();
    }

    /** The header block's headline without its emoji: INCIDENT, INCIDENT RESOLVED, ... */
    private static String headline(JsonNode message) {
        String header = message.path("blocks").path(0).path("text").path("text").asText();
        return header.substring(header.indexOf(' ') + 1, header.indexOf(':', header.indexOf(' ')));
    }

    /** The incident's ticket requests once there are as many as expected, checked to be exactly these events. */
    private List<Request> awaitTickets(String incidentId, String... events) {
        List<Request> requests = await("ticket " + String.join(", ", events) + " for " + incidentId).atMost(WITHIN)
                .until(() -> tickets.requests().stream()
                        .filter(request -> incidentId.equals(request.json().path("incidentId").asText())).toList(),
                        found -> found.size() >= events.length);
        assertThat(requests).extracting(request -> request.json().path("event").asText()).containsExactly(events);
        return requests;
    }

    /** The ACTION_RESULT entry of the incident's timeline for this command, once it is there. */
    private JsonNode awaitResult(String incidentId, String commandId) {
        return await("result of " + commandId).atMost(WITHIN).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> result(api.incident(incidentId), commandId), Objects::nonNull);
    }

    private static JsonNode result(JsonNode incident, String commandId) {
        for (JsonNode entry : incident.path("timeline")) {
            if ("ACTION_RESULT".equals(entry.path("type").asText())
                    && commandId.equals(entry.path("actionCommandId").asText())) {
                return entry;
            }
        }
        return null;
    }

    private String diagnostics() {
        StringBuilder out = new StringBuilder("=== paging lifecycle diagnostics ===\n");
        for (String service : List.of("inference-gateway", "model-server", "fraud-detector", "feature-store")) {
            try {
                out.append("incident of ").append(service).append(": ").append(incidentOf(service)).append('\n');
            } catch (Exception | AssertionError e) {
                out.append("incident of ").append(service).append(": unavailable (").append(e).append(")\n");
            }
        }
        out.append("pagerduty: ").append(pagerDuty.requests().stream().map(Request::body).toList()).append('\n');
        out.append("slack: ").append(slack.requests().stream().map(Request::body).toList()).append('\n');
        out.append("tickets: ").append(tickets.requests().stream().map(Request::body).toList()).append('\n');
        if (stack != null && stack.kafka() != null) {
            out.append(TopicTails.of(stack.kafka().clientProperties(),
                    new TopicCatalog(stack.kafka().topicSettings(), RunstreamSerdes.avro())));
        }
        return out.toString();
    }
}
