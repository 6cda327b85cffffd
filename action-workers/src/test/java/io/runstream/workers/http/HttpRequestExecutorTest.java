package io.runstream.workers.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.testing.RecordingHttpReceiver;
import io.runstream.workers.Commands;
import io.runstream.workers.CommandHandler;
import io.runstream.workers.DoneCommands;
import io.runstream.workers.RemediationMode;
import io.runstream.workers.RetryPolicy;
import io.runstream.workers.SafetyPolicy;

/**
 * HTTP_REQUEST against local HTTP servers, through the worker's CommandHandler: runbook 000's circuit-breaker reset
 * (POST /api/v1/admin/reset-circuits with a bearer token) and runbook 004's Triton model load and unload (KServe v2
 * repository API), and every way a call is refused or fails.
 */
class HttpRequestExecutorTest {

    private static final String TOKEN = "cb-reset-7f3a9c";
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4));

    private RecordingHttpReceiver receiver;
    private ScriptedEndpoint endpoint;
    private RecordingHttpReceiver elsewhere;

    @AfterEach
    void close() {
        for (AutoCloseable server : new AutoCloseable[] {receiver, endpoint, elsewhere}) {
            if (server != null) {
                try {
                    server.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Test
    void resetsCircuitBreakersWithTheTokenByReferenceAndTheCommandIdAsIdempotencyKey() throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "{\"reset\":[\"redis\",\"postgres\"]}");
        String host = authority(receiver);

        ActionResult result = handle(settings(host), command("cb-1", host, Map.of(
                "url", "http://" + host + "/api/v1/admin/reset-circuits", "tokenRef", "circuit-reset")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        RecordingHttpReceiver.Request request = receiver.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/admin/reset-circuits");
        assertThat(request.header("Authorization")).contains("Bearer " + TOKEN);
        assertThat(request.header("Idempotency-Key")).contains("cb-1");
        assertThat(result.getAfter()).containsEntry("request", "POST http://" + host + "/api/v1/admin/reset-circuits")
                .containsEntry("status", "200").containsEntry("body", "{\"reset\":[\"redis\",\"postgres\"]}");
        assertThat(result.toString()).doesNotContain(TOKEN);
    }

    @Test
    void loadsATritonModelThroughTheRepositoryApi() throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "");
        String host = authority(receiver);

        ActionResult result = handle(settings(host), command("triton-1", host, Map.of(
                "url", "http://" + host + "/v2/repository/models/fraud-detector/load")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(receiver.requests()).extracting(RecordingHttpReceiver.Request::method,
                RecordingHttpReceiver.Request::path)
                .containsExactly(Tuple.tuple("POST", "/v2/repository/models/fraud-detector/load"));
        assertThat(receiver.requests().get(0).header("Authorization")).isEmpty();
        assertThat(result.getAfter()).containsEntry("status", "200").containsEntry("body", "");
    }

    @Test
    void unloadsATritonModelWithAJsonBody() throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "");
        String host = authority(receiver);

        ActionResult result = handle(settings(host), command("triton-2", host, Map.of(
                "url", "http://" + host + "/v2/repository/models/fraud-detector/unload",
                "body", "{\"parameters\":{\"unload_dependents\":true}}")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        RecordingHttpReceiver.Request request = receiver.requests().get(0);
        assertThat(request.path()).isEqualTo("/v2/repository/models/fraud-detector/unload");
        assertThat(request.header("Content-Type")).contains("application/json");
        assertThat(request.json().path("parameters").path("unload_dependents").asBoolean()).isTrue();
    }

    @Test
    void sendsTheMethodAndHeadersTheStepNames() throws IOException {
        receiver = RecordingHttpReceiver.answering(204, "");
        String host = authority(receiver);

        ActionResult result = handle(settings(host), command("put-1", host, Map.of("method", "put",
                "url", "http://" + host + "/api/v1/flags/cache", "header.X-Request-Source", "runstream",
                "body", "enabled", "header.Content-Type", "text/plain")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        RecordingHttpReceiver.Request request = receiver.requests().get(0);
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.header("X-Request-Source")).contains("runstream");
        assertThat(request.header("Content-Type")).contains("text/plain");
        assertThat(request.body()).isEqualTo("enabled");
    }

    @Test
    void readsTheTokenFromASecretFileAtEachUse(@TempDir Path dir) throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "ok");
        String host = authority(receiver);
        Path file = Files.writeString(dir.resolve("circuit_reset_token"), "from-file-1\n");
        HttpActionSettings settings = new HttpActionSettings(List.of(host), Map.of(),
                Map.of("circuit-reset", file.toString()), Duration.ofSeconds(5), Duration.ofSeconds(60), 65536);
        CommandHandler handler = handler(settings, RemediationMode.ENFORCE);
        Map<String, String> reset = Map.of("url", "http://" + host + "/api/v1/admin/reset-circuits",
                "tokenRef", "circuit-reset");

        handler.handle(command("file-1", host, reset)).orElseThrow();
        Files.writeString(file, "rotated-2\n");
        handler.handle(command("file-2", host, reset)).orElseThrow();

        assertThat(receiver.requests()).extracting(r -> r.header("Authorization").orElseThrow())
                .containsExactly("Bearer from-file-1", "Bearer rotated-2");
    }

    @Test
    void refusesEveryHostWhileTheAllowListIsEmpty() throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "ok");
        String host = authority(receiver);

        ActionResult result = handle(settings(), command("cb-2", host, Map.of(
                "url", "http://" + host + "/api/v1/admin/reset-circuits")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(result.getReasonCode()).isEqualTo("host_not_allowed");
        assertThat(result.getMessage()).contains("httpActions.allowedHosts is empty");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void refusesAHostOnlyAllowedOnAnotherPort() throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "ok");
        String host = authority(receiver);

        ActionResult onOtherPort = handle(settings("127.0.0.1:1"), command("cb-3", host, Map.of(
                "url", "http://" + host + "/api/v1/admin/reset-circuits")));
        ActionResult bareHost = handle(settings("127.0.0.1"), command("cb-4", host, Map.of(
                "url", "http://" + host + "/api/v1/admin/reset-circuits")));

        assertThat(List.of(onOtherPort, bareHost)).extracting(ActionResult::getReasonCode)
                .containsExactly("host_not_allowed", "host_not_allowed");
        assertThat(onOtherPort.getMessage()).contains(host + " is not on httpActions.allowedHosts [127.0.0.1:1]");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void refusesUrlsThatAreNotPlainHttpUrlsOfTheTarget() throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "ok");
        String host = authority(receiver);
        HttpActionSettings settings = settings(host);
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("not-a-url", "http://" + host + "/v2/repository/models/fraud detector/load");
        urls.put("no-scheme", host + "/v2/repository/models/fraud-detector/load");
        urls.put("ftp", "ftp://" + host + "/models");
        urls.put("placeholder", "http://" + host + "/v2/repository/models/{{label.model}}/load");
        urls.put("user-info", "http://admin:hunter2@" + host + "/api/v1/admin/reset-circuits");
        urls.put("dot-dot", "http://" + host + "/v2/repository/models/../../admin/shutdown");
        urls.put("encoded-dot-dot", "http://" + host + "/v2/repository/models/%2E%2E/admin/load");
        urls.put("fragment", "http://" + host + "/api/v1/admin/reset-circuits#all");

        List<ActionResult> results = urls.entrySet().stream()
                .map(e -> handle(settings, command("url-" + e.getKey(), host, Map.of("url", e.getValue())))).toList();

        assertThat(results).extracting(ActionResult::getOutcome).containsOnly(ActionOutcome.REJECTED);
        assertThat(results).extracting(ActionResult::getReasonCode).containsOnly("malformed_url");
        assertThat(results.get(4).getMessage()).contains("user info").doesNotContain("hunter2");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void refusesAUrlWhoseHostIsNotTheCommandsTarget() throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "ok");
        String host = authority(receiver);

        // the command is keyed (and rate-limited) by its target: a url elsewhere would dodge both
        ActionResult result = handle(settings(host, "triton.triton-system:8000"), command("cb-5",
                "triton.triton-system:8000", Map.of("url", "http://" + host + "/api/v1/admin/reset-circuits")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(result.getReasonCode()).isEqualTo("target_mismatch");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void refusesATokenRefThatNamesNoSecretOfTheWorker() throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "ok");
        String host = authority(receiver);

        ActionResult result = handle(settings(host), command("cb-6", host, Map.of(
                "url", "http://" + host + "/api/v1/admin/reset-circuits", "tokenRef", "admin-api")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.REJECTED);
        assertThat(result.getReasonCode()).isEqualTo("secret_missing");
        assertThat(result.getMessage()).contains("tokenRef admin-api", "httpActions.secrets.admin-api");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void refusesMalformedParametersBeforeCallingAnything() throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "ok");
        String host = authority(receiver);
        String url = "http://" + host + "/api/v1/admin/reset-circuits";
        List<Map<String, String>> bad = List.of(
                Map.of("url", url, "retries", "3"),
                Map.of("url", url, "method", "PATCH"),
                Map.of("url", url, "header.Authorization", "Bearer " + TOKEN),
                Map.of("url", url, "header.Bad Header", "x"),
                Map.of("url", url, "header.X-Note", "one\r\nX-Injected: two"),
                Map.of("url", url, "expectStatus", "2XX,ok"),
                Map.of("url", url, "timeout", "5m"),
                Map.of("url", url, "timeout", "soon"),
                Map.of("url", url, "method", "GET", "body", "{}"),
                Map.of("url", url, "tokenRef", " "));

        List<ActionResult> results = bad.stream().map(p -> handle(settings(host), command("bad-" + bad.indexOf(p),
                host, p))).toList();

        assertThat(results).extracting(ActionResult::getReasonCode).containsOnly("malformed_parameters");
        assertThat(results.get(2).getMessage()).contains("tokenRef").doesNotContain(TOKEN);
        assertThat(results.get(6).getMessage()).contains("httpActions.maxTimeout");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void refusesATargetKindOtherThanHttp() throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "ok");
        String host = authority(receiver);
        ActionCommand command = command("kind-1", host, Map.of("url", "http://" + host + "/"));
        command.getTarget().setKind("Deployment");

        ActionResult result = handle(settings(host), command);

        assertThat(result.getReasonCode()).isEqualTo("unsupported_kind");
    }

    @Test
    void aDryRunSaysWhatWouldBeCalledAndCallsNothing() throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "ok");
        String host = authority(receiver);
        ActionCommand dry = command("dry-1", host, Map.of("url", "http://" + host + "/api/v1/admin/reset-circuits",
                "tokenRef", "circuit-reset"));
        dry.setMode(ActionMode.DRY_RUN);

        ActionResult byCommand = handle(settings(host), dry);
        ActionResult byGlobalMode = handler(settings(host), RemediationMode.DRY_RUN).handle(command("dry-2", host,
                Map.of("url", "http://" + host + "/api/v1/admin/reset-circuits"))).orElseThrow();

        assertThat(List.of(byCommand, byGlobalMode)).extracting(ActionResult::getOutcome)
                .containsOnly(ActionOutcome.DRY_RUN);
        assertThat(byCommand.getMessage()).isEqualTo("would call POST http://" + host
                + "/api/v1/admin/reset-circuits expecting 2xx");
        assertThat(byCommand.getAfter()).containsEntry("status", "not called (dry run)");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void isARemediationThatTheGlobalModeOffRefuses() throws IOException {
        receiver = RecordingHttpReceiver.answering(200, "ok");
        String host = authority(receiver);

        ActionResult result = handler(settings(host), RemediationMode.OFF).handle(command("off-1", host,
                Map.of("url", "http://" + host + "/api/v1/admin/reset-circuits"))).orElseThrow();

        assertThat(result.getReasonCode()).isEqualTo("mode_off");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void anUnexpectedStatusFailsWithTheStatusAndTheBodyOnTheTimelineWithoutRetrying() throws IOException {
        receiver = RecordingHttpReceiver.answering(400,
                "{\"error\":\"failed to load 'fraud-detector', failed to poll from model repository\"}");
        String host = authority(receiver);

        ActionResult result = handle(settings(host), command("triton-3", host, Map.of(
                "url", "http://" + host + "/v2/repository/models/fraud-detector/load")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("unexpected_status");
        assertThat(result.getMessage()).contains("answered HTTP 400, expected 2xx");
        assertThat(result.getAfter()).containsEntry("status", "400")
                .hasEntrySatisfying("body", body -> assertThat(body).contains("failed to poll from model repository"));
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void aStatusTheStepExpectsSucceeds() throws IOException {
        receiver = RecordingHttpReceiver.answering(409, "{\"error\":\"already reset\"}");
        String host = authority(receiver);

        ActionResult result = handle(settings(host), command("cb-7", host, Map.of(
                "url", "http://" + host + "/api/v1/admin/reset-circuits", "expectStatus", "2xx, 409")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.getAfter()).containsEntry("status", "409");
    }

    @Test
    void refusedCredentialsFailAsForbidden() throws IOException {
        receiver = RecordingHttpReceiver.answering(401, "{\"error\":\"invalid token\"}");
        String host = authority(receiver);

        ActionResult result = handle(settings(host), command("cb-8", host, Map.of(
                "url", "http://" + host + "/api/v1/admin/reset-circuits", "tokenRef", "circuit-reset")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("forbidden");
        assertThat(result.toString()).doesNotContain(TOKEN);
    }

    @Test
    void retriesA503UntilTheEndpointAnswers() throws IOException {
        endpoint = new ScriptedEndpoint(ScriptedEndpoint.Answer.of(200, "{\"reset\":[\"redis\"]}"),
                ScriptedEndpoint.Answer.of(503, "starting"), ScriptedEndpoint.Answer.of(503, "starting"));
        String host = endpoint.authority();

        ActionResult result = handle(settings(host), command("cb-9", host, Map.of(
                "url", endpoint.uri("/api/v1/admin/reset-circuits").toString())));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.getAttempts()).isEqualTo(3);
        assertThat(endpoint.requests()).isEqualTo(3);
    }

    @Test
    void anEndpointThatKeepsAnswering503FailsAfterItsTries() throws IOException {
        endpoint = new ScriptedEndpoint(ScriptedEndpoint.Answer.of(503, "upstream unavailable"));
        String host = endpoint.authority();

        ActionResult result = handle(settings(host), command("cb-10", host, Map.of(
                "url", endpoint.uri("/api/v1/admin/reset-circuits").toString())));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("unexpected_status");
        assertThat(result.getMessage()).contains("HTTP 503", "after 4 tries");
        assertThat(result.getAfter()).containsEntry("status", "503").containsEntry("body", "upstream unavailable");
        assertThat(endpoint.requests()).isEqualTo(4);
    }

    @Test
    void doesNotFollowARedirectToAnotherHost() throws IOException {
        elsewhere = RecordingHttpReceiver.answering(200, "ok");
        endpoint = new ScriptedEndpoint(ScriptedEndpoint.Answer.redirect(elsewhere.uri("/api/v1/admin/reset-circuits")));
        String host = endpoint.authority();

        ActionResult result = handle(settings(host, authority(elsewhere)), command("cb-11", host, Map.of(
                "url", endpoint.uri("/api/v1/admin/reset-circuits").toString(), "tokenRef", "circuit-reset")));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("unexpected_status");
        assertThat(result.getMessage()).contains("HTTP 302", "redirects are not followed",
                "Location: " + elsewhere.uri("/api/v1/admin/reset-circuits"));
        assertThat(elsewhere.requests()).isEmpty();
    }

    @Test
    void anEndpointThatDoesNotAnswerInTimeFailsAsTimeout() throws IOException {
        endpoint = new ScriptedEndpoint(ScriptedEndpoint.Answer.none());
        String host = endpoint.authority();
        RetryPolicy twoTries = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1));

        ActionResult result = handler(settings(host), RemediationMode.ENFORCE, twoTries).handle(command("triton-4",
                host, Map.of("url", endpoint.uri("/v2/repository/models/fraud-detector/load").toString(),
                        "timeout", "300ms"))).orElseThrow();

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("timeout");
        assertThat(result.getMessage()).contains("failed 2 times", "no answer within 300 ms");
        assertThat(result.getAttempts()).isEqualTo(2);
    }

    @Test
    void aBodyOverTheLimitIsNotReadFurtherAndFailsTheCommand() throws IOException {
        endpoint = new ScriptedEndpoint(ScriptedEndpoint.Answer.ofSize(200, 5 * 1024 * 1024));
        String host = endpoint.authority();
        HttpActionSettings settings = new HttpActionSettings(List.of(host), Map.of(), Map.of(), Duration.ofSeconds(5),
                Duration.ofSeconds(60), 4096);

        ActionResult result = handle(settings, command("big-1", host, Map.of(
                "url", endpoint.uri("/api/v1/admin/reset-circuits").toString())));

        assertThat(result.getOutcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.getReasonCode()).isEqualTo("response_too_large");
        assertThat(result.getMessage()).contains("HTTP 200", "over 4096 bytes", "may have taken effect");
        assertThat(result.getAfter()).containsEntry("bodyTruncated", "true")
                .hasEntrySatisfying("body", body -> assertThat(body).hasSize(HttpRequestExecutor.BODY_IN_RESULT + 1));
    }

    @Test
    void theBodyOnTheTimelineIsItsFirstThousandCharactersWithoutControlCharactersOrTheToken() throws IOException {
        String echo = "token " + TOKEN + " accepted\u001b[31m\r\n" + "y".repeat(3000);
        receiver = RecordingHttpReceiver.answering(200, echo);
        String host = authority(receiver);

        ActionResult result = handle(settings(host), command("cb-12", host, Map.of(
                "url", "http://" + host + "/api/v1/admin/reset-circuits", "tokenRef", "circuit-reset")));

        String body = result.getAfter().get("body");
        assertThat(body).startsWith("token <redacted> accepted [31m y").hasSize(1001).endsWith("…")
                .doesNotContain(TOKEN, "\u001b", "\n");
    }

    private static ActionCommand command(String id, String host, Map<String, String> parameters) {
        ActionCommand command = Commands.fresh(Commands.command(id, ActionType.HTTP_REQUEST, "http", null, host,
                parameters));
        command.setRunbook("circuit-breaker-open#reset-circuit-breakers");
        return command;
    }

    private static HttpActionSettings settings(String... allowedHosts) {
        return new HttpActionSettings(List.of(allowedHosts), Map.of("circuit-reset", TOKEN), Map.of(),
                Duration.ofSeconds(5), Duration.ofSeconds(60), 65536);
    }

    private static String authority(RecordingHttpReceiver receiver) {
        return receiver.uri("").getRawAuthority();
    }

    private static ActionResult handle(HttpActionSettings settings, ActionCommand command) {
        return handler(settings, RemediationMode.ENFORCE).handle(command).orElseThrow();
    }

    private static CommandHandler handler(HttpActionSettings settings, RemediationMode mode) {
        return handler(settings, mode, FAST);
    }

    private static CommandHandler handler(HttpActionSettings settings, RemediationMode mode, RetryPolicy retry) {
        HttpRequestExecutor executor = new HttpRequestExecutor(settings, HttpCalls.create(Clock.systemUTC(), retry,
                settings.requestTimeout()));
        return new CommandHandler(List.of(executor), mode, SafetyPolicy.DEFAULTS, new DoneCommands(100),
                Clock.systemUTC(), "worker-1", new SimpleMeterRegistry());
    }
}
