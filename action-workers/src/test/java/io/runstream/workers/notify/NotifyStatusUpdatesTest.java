package io.runstream.workers.notify;

import static io.runstream.workers.notify.StatusUpdates.command;
import static io.runstream.workers.notify.StatusUpdates.initialNotification;
import static io.runstream.workers.notify.StatusUpdates.resolutionNotification;
import static io.runstream.workers.notify.StatusUpdates.settings;
import static io.runstream.workers.notify.StatusUpdates.statusUpdate;
import static io.runstream.workers.notify.StatusUpdates.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionType;
import io.runstream.workers.Commands;
import io.runstream.workers.Execution;
import io.runstream.workers.http.HttpCalls;

/**
 * Status updates with the runbooks' content: Slack Block Kit messages shaped like runbook 003's "Communication"
 * templates and runbook 004's "Slack Update Template", and the same fields in the webhook and ticket JSON; all
 * checked on what a local receiver gets.
 */
class NotifyStatusUpdatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpCalls http = HttpCalls.create(Clock.systemUTC(), Commands.FAST_RETRIES, Duration.ofSeconds(5));
    private Receiver receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new Receiver(200, "ok");
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private JsonNode postToSlack(Map<String, String> parameters) throws IOException {
        NotifyExecutor slack = new NotifyExecutor(settings(receiver.uri("/services/T0/B0/x").toString(), null, null,
                null), http);
        Execution execution = slack.execute(command("n1", ActionType.NOTIFY, "slack", "incidents", parameters),
                false);
        assertThat(execution.outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        return JSON.readTree(receiver.requests().get(0).body());
    }

    private static List<String> fields(JsonNode message) {
        return texts(message.path("blocks").get(1).path("fields"));
    }

    /** The text of each text object (fields, context elements). */
    private static List<String> texts(JsonNode nodes) {
        return StreamSupport.stream(nodes.spliterator(), false).map(n -> n.path("text").asText()).toList();
    }

    /** The mrkdwn text of each section that has one. */
    private static List<String> sections(JsonNode blocks) {
        return StreamSupport.stream(blocks.spliterator(), false)
                .filter(b -> b.path("type").asText().equals("section") && b.has("text"))
                .map(b -> b.path("text").path("text").asText()).toList();
    }

    @Test
    void initialNotificationFollowsRunbook003AndTheSlackUpdateTemplateOfRunbook004() throws IOException {
        JsonNode message = postToSlack(initialNotification());

        JsonNode blocks = message.path("blocks");
        assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).path("text").path("type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(0).path("text").path("text").asText())
                .isEqualTo(":rotating_light: INCIDENT: High Error Rate - Inference Gateway");
        assertThat(fields(message)).containsExactly("*Severity*\nP1 (critical)", "*Service*\ninference-gateway",
                "*Status*\nInvestigating", "*Started*\n2026-12-06 14:23 UTC", "*Incident commander*\nalice",
                "*Next update*\n2026-12-06 14:33 UTC");
        assertThat(blocks.get(2).path("text").path("text").asText())
                .isEqualTo("*Impact*\n• Error Rate: 12% (target: &lt;0.5%)");
        assertThat(blocks.get(3).path("text").path("text").asText()).isEqualTo("*Dashboard:* <http://127.0.0.1:8082"
                + "/dashboard?incident=inc-gateway-5xx-001&amp;tab=timeline|Open in the Runstream dashboard>");
        assertThat(blocks.get(4).path("type").asText()).isEqualTo("context");
        assertThat(texts(blocks.get(4).path("elements"))).containsExactly("Incident inc-gateway-5xx-001");
        assertThat(blocks).hasSize(5);
        // the notification and fallback text says the same
        assertThat(message.path("text").asText())
                .startsWith(":rotating_light: *INCIDENT: High Error Rate - Inference Gateway*\n")
                .contains("*Severity:* P1 (critical)\n", "*Started:* 2026-12-06 14:23 UTC\n",
                        "*Incident commander:* alice\n", "*Next update:* 2026-12-06 14:33 UTC\n",
                        "*Dashboard:* <http://127.0.0.1:8082/dashboard?incident=inc-gateway-5xx-001&amp;tab=timeline>");
    }

    @Test
    void statusUpdateSaysWhatIsBeingDoneAndWhenTheNextUpdateComes() throws IOException {
        JsonNode message = postToSlack(statusUpdate());

        JsonNode blocks = message.path("blocks");
        assertThat(blocks.get(0).path("text").path("text").asText())
                .isEqualTo(":arrows_counterclockwise: INCIDENT UPDATE: High Error Rate - Inference Gateway");
        assertThat(fields(message)).contains("*Status*\nMitigation in progress", "*Next update*\n2026-12-06 14:43 UTC");
        assertThat(sections(blocks)).contains("*Impact*\n• Error Rate: 8% (decreasing)",
                "*Actions taken*\n• Rolling back deployment v1.2.3 → v1.2.2");
    }

    @Test
    void resolutionNotificationGivesTheDurationAndWhatResolvedIt() throws IOException {
        JsonNode message = postToSlack(with(resolutionNotification(), "nextUpdateAt", "2026-12-06T14:53:00Z"));

        assertThat(message.path("blocks").get(0).path("text").path("text").asText())
                .isEqualTo(":white_check_mark: INCIDENT RESOLVED: High Error Rate - Inference Gateway");
        assertThat(fields(message)).containsExactly("*Severity*\nP1 (critical)", "*Service*\ninference-gateway",
                "*Status*\nResolved", "*Started*\n2026-12-06 14:23 UTC", "*Incident commander*\nalice",
                "*Duration*\n22 minutes", "*Resolved by*\nrecovery");
        assertThat(sections(message.path("blocks"))).contains("*Resolution*\n• Rollback to v1.2.2");
        assertThat(message.path("text").asText()).contains("*Duration:* 22 minutes\n", "*Resolved by:* recovery\n")
                .doesNotContain("Next update");
    }

    @Test
    void alertTextCannotForgeMentionsOrLinksInAnyMrkdwnBlock() throws IOException {
        JsonNode message = postToSlack(with(initialNotification(), "title", "<!channel> gateway down",
                "commander", "<@U024BE7LH>", "summary", "see <https://evil.example|the fix>", "actions",
                "paged <!here>"));

        List<String> mrkdwn = new ArrayList<>();
        message.path("blocks").findParents("type").stream()
                .filter(node -> node.path("type").asText().equals("mrkdwn"))
                .forEach(node -> mrkdwn.add(node.path("text").asText()));
        mrkdwn.add(message.path("text").asText());
        assertThat(mrkdwn).isNotEmpty().noneMatch(text -> text.contains("<!") || text.contains("<@")
                || text.contains("<https://evil"));
        assertThat(mrkdwn).anyMatch(text -> text.contains("&lt;@U024BE7LH&gt;"));
    }

    @Test
    void runawayTextStaysWithinSlacksLimits() throws IOException {
        String manyLinks = String.join(",", IntStream.range(0, 150)
                .mapToObj(i -> "https://grafana.example/d/app-performance?panel=" + i + "&from=now-1h").toList());
        JsonNode message = postToSlack(with(initialNotification(), "title", "High Error Rate ".repeat(200),
                "summary", "NullPointerException & friends ".repeat(500), "impact", "<0.5% & rising;".repeat(1_000),
                "commander", "b".repeat(5_000), "links", manyLinks));

        JsonNode blocks = message.path("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        assertThat(blocks.get(0).path("text").path("text").asText()).hasSizeLessThanOrEqualTo(150);
        assertThat(blocks.get(1).path("fields").size()).isLessThanOrEqualTo(10);
        assertThat(fields(message)).allSatisfy(field -> assertThat(field).hasSizeLessThanOrEqualTo(2_000));
        assertThat(sections(blocks)).hasSize(3).allSatisfy(text -> assertThat(text).hasSizeLessThanOrEqualTo(3_000)
                // cut between entities and links, never through one
                .doesNotContainPattern("&[a-z]*…").satisfies(t -> assertThat(count(t, '<')).isEqualTo(count(t, '>'))));
        assertThat(message.path("text").asText()).hasSizeLessThanOrEqualTo(4_000);
    }

    private static long count(String text, char c) {
        return text.chars().filter(ch -> ch == c).count();
    }

    @Test
    void webhookJsonCarriesTheStatusUpdateFieldsThatArePresent() throws IOException {
        NotifyExecutor webhook = new NotifyExecutor(settings(null, receiver.uri("/runstream").toString(), null,
                null), http);

        webhook.execute(command("w1", ActionType.NOTIFY, "webhook", "runstream", initialNotification()), false);

        JsonNode body = JSON.readTree(receiver.requests().get(0).body());
        assertThat(body.path("startedAt").asText()).isEqualTo("2026-12-06T14:23:00Z");
        assertThat(body.path("commander").asText()).isEqualTo("alice");
        assertThat(body.path("nextUpdateAt").asText()).isEqualTo("2026-12-06T14:33:00Z");
        assertThat(body.path("dashboard").asText()).isEqualTo(StatusUpdates.DASHBOARD);
        assertThat(body.has("duration")).isFalse();
        assertThat(body.has("resolvedBy")).isFalse();
    }

    @Test
    void aResolvedTicketIsAcceptedAndCarriesTheDurationAndWhatResolvedIt() throws IOException {
        TicketExecutor tickets = new TicketExecutor(settings(null, null, null, receiver.uri("/tickets").toString())
                .ticket(), http);

        Execution execution = tickets.execute(command("t1", ActionType.TICKET, "ticket", "ml-platform",
                resolutionNotification()), false);

        assertThat(execution.outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(execution.after()).containsEntry("ticket", "resolved");
        JsonNode body = JSON.readTree(receiver.requests().get(0).body());
        assertThat(body.path("event").asText()).isEqualTo("resolved");
        assertThat(body.path("queue").asText()).isEqualTo("ml-platform");
        assertThat(body.path("duration").asText()).isEqualTo("PT22M");
        assertThat(body.path("resolvedBy").asText()).isEqualTo("recovery");
        assertThat(body.path("startedAt").asText()).isEqualTo("2026-12-06T14:23:00Z");
        assertThat(body.path("commander").asText()).isEqualTo("alice");
    }
}
