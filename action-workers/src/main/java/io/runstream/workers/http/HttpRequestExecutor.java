package io.runstream.workers.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionType;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;

/**
 * HTTP_REQUEST: a runbook step calls an HTTP endpoint, such as runbook 000's circuit-breaker reset or Triton's
 * model load (KServe v2 repository API). The target is {@code {kind: http, name: <host:port of the url>}}, so one
 * host's calls stay in order on action-commands and count against its rate limit. Only hosts on
 * {@code httpActions.allowedHosts} are called; the bearer token comes from the worker's configuration by name; the
 * command id goes as {@code Idempotency-Key}, which is how a receiver recognises a redelivered call (an HTTP
 * endpoint, unlike a Deployment, cannot be read first). The result's {@code after} carries the request, the status
 * and the first {@value #BODY_IN_RESULT} characters of the body, cleaned of control characters and of the token.
 */
public final class HttpRequestExecutor implements ActionExecutor {

    static final String KIND = "http";
    static final int BODY_IN_RESULT = 1000;

    private final HttpActionSettings settings;
    private final HttpCalls http;

    public HttpRequestExecutor(HttpActionSettings settings, HttpCalls http) {
        this.settings = settings;
        this.http = http;
    }

    @Override
    public ActionType type() {
        return ActionType.HTTP_REQUEST;
    }

    @Override
    public Execution execute(ActionCommand command, boolean dryRun) {
        String kind = command.getTarget().getKind();
        if (!KIND.equals(kind)) {
            throw new RejectedCommandException("unsupported_kind", "HTTP_REQUEST goes to kind http, not " + kind);
        }
        HttpRequestParameters request = HttpRequestParameters.parse(command.getParameters(),
                settings.requestTimeout(), settings.maxTimeout());
        URI url = request.url();
        String target = command.getTarget().getName();
        if (!request.authority().equalsIgnoreCase(target)) {
            throw new RejectedCommandException("target_mismatch", "the url's host " + request.authority()
                    + " is not the command's target " + target + " (target {kind: http, name: <host:port of the url>})");
        }
        if (!settings.allows(url.getScheme().toLowerCase(Locale.ROOT), url.getHost(), url.getPort())) {
            throw new RejectedCommandException("host_not_allowed", settings.allowedHosts().isEmpty()
                    ? "no host is allowed for HTTP_REQUEST (httpActions.allowedHosts is empty); " + request.authority()
                            + " was not called"
                    : request.authority() + " is not on httpActions.allowedHosts " + settings.allowedHosts());
        }
        String token = null;
        if (request.tokenRef() != null) {
            token = settings.secret(request.tokenRef()).orElseThrow(() -> new RejectedCommandException(
                    "secret_missing", "tokenRef " + request.tokenRef() + " names no secret this worker holds"
                            + " (httpActions.secrets." + request.tokenRef() + " or httpActions.secretFiles."
                            + request.tokenRef() + ")"));
        }
        String call = request.method() + " " + url;
        Map<String, String> after = new LinkedHashMap<>();
        after.put("request", call);
        if (dryRun) {
            after.put("status", "not called (dry run)");
            return Execution.dryRun("would call " + call + " expecting " + request.expected().text(), Map.of(), after);
        }
        HttpCalls.Answer answer = http.exchange(command, call, build(command, request, token),
                request.expected()::accepts, request.timeout(), settings.maxResponseBytes());
        after.put("status", Integer.toString(answer.status()));
        after.put("body", excerpt(answer.body(), token));
        if (answer.truncated()) {
            after.put("bodyTruncated", "true");
            return outcome(ActionOutcome.FAILED, "response_too_large", call + " answered HTTP " + answer.status()
                    + " with a body over " + settings.maxResponseBytes() + " bytes (httpActions.maxResponseBytes);"
                    + " reading stopped there, the call may have taken effect", after, answer);
        }
        if (request.expected().accepts(answer.status())) {
            return outcome(ActionOutcome.SUCCEEDED, null, call + " answered HTTP " + answer.status(), after, answer);
        }
        String reason = answer.status() == 401 || answer.status() == 403 ? "forbidden" : "unexpected_status";
        String redirect = answer.status() / 100 == 3 ? "; redirects are not followed"
                + Optional.ofNullable(answer.location()).map(l -> " (Location: " + HttpRequestParameters.cut(l) + ")")
                        .orElse("") : "";
        return outcome(ActionOutcome.FAILED, reason, call + " answered HTTP " + answer.status() + ", expected "
                + request.expected().text() + redirect + (answer.attempts() > 1 ? " after " + answer.attempts()
                + " tries" : ""), after, answer);
    }

    private static HttpRequest build(ActionCommand command, HttpRequestParameters request, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.url()).timeout(request.timeout())
                .header("Idempotency-Key", command.getCommandId());
        request.headers().forEach(builder::header);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (request.body() != null && request.headers().keySet().stream()
                .noneMatch(name -> name.equalsIgnoreCase("Content-Type"))) {
            builder.header("Content-Type", "application/json");
        }
        HttpRequest.BodyPublisher body = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body());
        return builder.method(request.method(), body).build();
    }

    private static Execution outcome(ActionOutcome outcome, String reason, String message, Map<String, String> after,
            HttpCalls.Answer answer) {
        return new Execution(outcome, reason, message, Map.of(), after, answer.attempts());
    }

    /** The start of a body for the timeline: control characters as spaces, runs of space as one, no token. */
    static String excerpt(String body, String token) {
        String clean = body.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", " ").replaceAll("\\s+", " ").trim();
        if (token != null && !token.isEmpty()) {
            clean = clean.replace(token, "<redacted>");
        }
        return clean.length() <= BODY_IN_RESULT ? clean : clean.substring(0, BODY_IN_RESULT) + "…";
    }
}
