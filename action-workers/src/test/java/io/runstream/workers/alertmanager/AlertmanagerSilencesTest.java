package io.runstream.workers.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.testing.peers.AlertmanagerPeer;
import io.runstream.workers.CommandHandler;
import io.runstream.workers.Commands;
import io.runstream.workers.DoneCommands;
import io.runstream.workers.Execution;
import io.runstream.workers.RemediationMode;
import io.runstream.workers.SafetyPolicy;
import io.runstream.workers.http.HttpCalls;

/** Silences created and expired on a real Alertmanager 0.25 that the test starts on loopback. */
class AlertmanagerSilencesTest {

    @TempDir
    static Path dir;
    private static AlertmanagerPeer alertmanager;
    private static AlertmanagerApi api;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startAlertmanager() throws IOException {
        alertmanager = AlertmanagerPeer.start(dir, AlertmanagerPeer.BLACKHOLE_CONFIG);
        api = new AlertmanagerApi(alertmanager.uri(), HttpCalls.create(Clock.systemUTC(), Commands.FAST_RETRIES,
                Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stopAlertmanager() {
        alertmanager.close();
    }

    private static ActionCommand silence(String id, String incident, Map<String, String> parameters) {
        ActionCommand command = Commands.fresh(Commands.command(id, ActionType.SILENCE, "alertmanager", null,
                "gateway", parameters));
        command.setIncidentId(incident);
        command.setReason("gateway 5xx above 5% after rollout; rolling back");
        return command;
    }

    private static ActionCommand expire(String id, String incident, Map<String, String> parameters) {
        ActionCommand command = Commands.fresh(Commands.command(id, ActionType.EXPIRE_SILENCE, "alertmanager", null,
                "gateway", parameters));
        command.setIncidentId(incident);
        return command;
    }

    private static JsonNode silenceById(String id) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(alertmanager.uri()
                .resolve("/api/v2/silence/" + id)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return JSON.readTree(body);
    }

    @Test
    void createsASilenceWithTheAlertsLabelsDurationAndAnIncidentComment() throws Exception {
        Instant before = Instant.now();

        Execution created = new SilenceExecutor(api).execute(silence("sil-1", "inc-gateway-5xx-001",
                Map.of("label.alertname", "HighErrorRate", "label.service", "gateway", "duration", "2h")), false);

        assertThat(created.outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        JsonNode silence = silenceById(created.after().get("silence"));
        assertThat(silence.path("status").path("state").asText()).isEqualTo("active");
        assertThat(silence.path("createdBy").asText()).isEqualTo("runstream");
        assertThat(silence.path("comment").asText()).startsWith("Runstream incident inc-gateway-5xx-001:")
                .contains("[command sil-1]");
        assertThat(silence.path("matchers").findValuesAsText("name")).containsExactlyInAnyOrder("alertname",
                "service");
        assertThat(silence.path("matchers").findValuesAsText("value")).containsExactlyInAnyOrder("HighErrorRate",
                "gateway");
        Instant endsAt = Instant.parse(silence.path("endsAt").asText());
        assertThat(endsAt).isBetween(before.plus(Duration.ofHours(2)).minusSeconds(1),
                Instant.now().plus(Duration.ofHours(2)).plusSeconds(1));
    }

    @Test
    void theSameSilenceCommandTwiceMakesOneSilence() {
        ActionCommand command = silence("sil-2", "inc-2", Map.of("label.alertname", "HighLatencyP95"));

        Execution first = new SilenceExecutor(api).execute(command, false);
        Execution again = new SilenceExecutor(api).execute(command, false);

        assertThat(again.outcome()).isEqualTo(ActionOutcome.ALREADY_APPLIED);
        assertThat(again.after().get("silence")).isEqualTo(first.after().get("silence"));
        assertThat(api.silences(command)).filteredOn(s -> s.comment().contains("[command sil-2]")).hasSize(1);
    }

    @Test
    void expireSilenceFindsTheIncidentsSilencesByTheirCommentAndExpiresThem() throws Exception {
        String id = new SilenceExecutor(api).execute(silence("sil-3", "inc-3", Map.of("label.alertname",
                "ModelAccuracyDrop")), false).after().get("silence");
        String otherIncident = new SilenceExecutor(api).execute(silence("sil-4", "inc-4", Map.of("label.alertname",
                "DataDrift")), false).after().get("silence");

        Execution expired = new ExpireSilenceExecutor(api).execute(expire("exp-3", "inc-3", Map.of()), false);
        Execution again = new ExpireSilenceExecutor(api).execute(expire("exp-3", "inc-3", Map.of()), false);

        assertThat(expired.outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(expired.before()).containsEntry("silence." + id, "active");
        assertThat(expired.after()).containsEntry("silence." + id, "expired");
        assertThat(silenceById(id).path("status").path("state").asText()).isEqualTo("expired");
        assertThat(silenceById(otherIncident).path("status").path("state").asText()).isEqualTo("active");
        assertThat(again.outcome()).isEqualTo(ActionOutcome.ALREADY_APPLIED);
    }

    @Test
    void expireSilenceByStoredId() throws Exception {
        String id = new SilenceExecutor(api).execute(silence("sil-5", "inc-5", Map.of("label.alertname",
                "PodCrashLooping")), false).after().get("silence");

        Execution expired = new ExpireSilenceExecutor(api).execute(expire("exp-5", "some-other-incident",
                Map.of("silenceId", id)), false);

        assertThat(expired.outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(silenceById(id).path("status").path("state").asText()).isEqualTo("expired");
    }

    @Test
    void aSilenceSomeoneElseMadeIsLeftAlone() throws Exception {
        // given: a silence an on-call engineer made by hand
        String byOnCall = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(alertmanager.uri()
                .resolve("/api/v2/silences")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"matchers\":[{\"name\":\"alertname\",\"value\":"
                        + "\"NodeDown\",\"isRegex\":false}],\"startsAt\":\"" + Instant.now() + "\",\"endsAt\":\""
                        + Instant.now().plusSeconds(3600) + "\",\"createdBy\":\"alice\",\"comment\":\"kernel"
                        + " upgrade\"}")).build(), HttpResponse.BodyHandlers.ofString()).body()).path("silenceID")
                .asText();

        CommandHandler handler = new CommandHandler(List.of(new ExpireSilenceExecutor(api)), RemediationMode.ENFORCE,
                SafetyPolicy.DEFAULTS, new DoneCommands(10), Clock.systemUTC(), "worker-1",
                new SimpleMeterRegistry());
        ActionResult result = handler.handle(expire("exp-h", "inc-8", Map.of("silenceId", byOnCall)))
                .orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(result.getReasonCode()).isEqualTo("not_runstream_silence");
        assertThat(silenceById(byOnCall).path("status").path("state").asText()).isEqualTo("active");
    }

    @Test
    void silencesForManyIncidentsAreNotHeldBackByTheRateLimitOfTheirOneTarget() {
        CommandHandler handler = new CommandHandler(List.of(new SilenceExecutor(api)), RemediationMode.ENFORCE,
                SafetyPolicy.DEFAULTS, new DoneCommands(10), Clock.systemUTC(), "worker-1", new SimpleMeterRegistry());

        List<ActionResult> results = List.of("inc-20", "inc-21", "inc-22", "inc-23", "inc-24").stream()
                .map(incident -> handler.handle(silence("rl-" + incident, incident,
                        Map.of("label.alertname", "PodRestart", "label.incident", incident))).orElseThrow())
                .toList();

        assertThat(results).extracting(ActionResult::getOutcome).containsOnly(ActionOutcome.SUCCEEDED);
    }

    @Test
    void dryRunReportsTheSilenceAndCreatesNothing() {
        ActionCommand command = silence("sil-6", "inc-6", Map.of("label.alertname", "DiskFull", "duration", "30m"));

        Execution dry = new SilenceExecutor(api).execute(command, true);

        assertThat(dry.outcome()).isEqualTo(ActionOutcome.DRY_RUN);
        assertThat(dry.after()).containsEntry("matcher.alertname", "DiskFull");
        assertThat(api.silences(command)).noneMatch(s -> s.comment().contains("[command sil-6]"));
    }

    @Test
    void malformedSilenceCommandsAreRejectedAndCreateNothing() {
        CommandHandler handler = new CommandHandler(List.of(new SilenceExecutor(api), new ExpireSilenceExecutor(api)),
                RemediationMode.ENFORCE, SafetyPolicy.DEFAULTS, new DoneCommands(100), Clock.systemUTC(),
                "worker-1", new SimpleMeterRegistry());
        List<ActionCommand> bad = List.of(
                silence("bad-1", "inc-7", Map.of("duration", "2h")),
                silence("bad-2", "inc-7", Map.of("label.alertname", "X", "duration", "forever")),
                silence("bad-3", "inc-7", Map.of("label.alertname", "X", "duration", "30d")),
                silence("bad-4", "inc-7", Map.of("label.bad-name", "X")),
                expire("bad-5", "inc-7", Map.of("silenceId", "../../-/quit")));

        List<ActionResult> results = bad.stream().map(c -> handler.handle(c).orElseThrow()).toList();

        assertThat(results).allSatisfy(r -> {
            assertThat(r.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
            assertThat(r.getReasonCode()).isEqualTo("malformed_parameters");
        });
        assertThat(api.silences(bad.get(0))).noneMatch(s -> s.comment().startsWith("Runstream incident inc-7:"));
    }
}
