package io.runstream.workers.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;

import io.runstream.avro.ActionCommand;
import io.runstream.workers.ExecutionFailure;
import io.runstream.workers.RetryPolicy;

/**
 * HTTP calls of the Alertmanager, notification and HTTP_REQUEST executors: 429, 5xx, timeouts and connection
 * errors are retried with backoff (at least the server's Retry-After) while the command has not expired. Failure
 * messages name the channel, never the URL or a credential, since webhook URLs are secrets (HTTP_REQUEST's
 * channel is its method and url, which come from a runbook and are not). Redirects are never followed (the
 * client is built with {@code Redirect.NEVER}).
 */
public final class HttpCalls {

    private static final int MAX_BODY_IN_MESSAGE = 200;

    private final HttpClient client;
    private final Clock clock;
    private final RetryPolicy retry;
    private final Duration requestTimeout;

    public HttpCalls(HttpClient client, Clock clock, RetryPolicy retry, Duration requestTimeout) {
        this.client = client;
        this.clock = clock;
        this.retry = retry;
        this.requestTimeout = requestTimeout;
    }

    public static HttpCalls create(Clock clock, RetryPolicy retry, Duration requestTimeout) {
        return new HttpCalls(HttpClient.newBuilder().connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build(), clock, retry, requestTimeout);
    }

    public Clock clock() {
        return clock;
    }

    /** The backoff these calls use, for channels that retry another protocol the same way (SMTP). */
    public RetryPolicy retry() {
        return retry;
    }

    /** A 2xx answer and the number of tries it took. */
    public record Reply(int status, String body, int attempts) {
    }

    /**
     * Sends the request until it gets a 2xx answer; anything else ends in an {@link ExecutionFailure}
     * (reason {@code forbidden} for 401/403, {@code http_error} otherwise) naming {@code channel}.
     */
    public Reply send(ActionCommand command, String channel, HttpRequest.Builder request) {
        HttpRequest built = request.timeout(requestTimeout).build();
        Duration backoff = retry.firstBackoff();
        for (int tries = 1;; tries++) {
            int status;
            String problem;
            Duration wait = backoff;
            try {
                HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                if (status / 100 == 2) {
                    return new Reply(status, response.body(), tries);
                }
                problem = "HTTP " + status + ": " + excerpt(response.body());
                if (status == 401 || status == 403) {
                    throw new ExecutionFailure("forbidden", channel + " refused the credentials (" + problem + ")",
                            tries);
                }
                if (status != 429 && status / 100 != 5) {
                    throw new ExecutionFailure("http_error", channel + " rejected the request (" + problem + ")",
                            tries);
                }
                wait = longest(backoff, retryAfter(response));
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExecutionFailure("interrupted", "stopped while calling " + channel, tries);
            }
            if (tries >= retry.maxAttempts()) {
                throw new ExecutionFailure("http_error", channel + " failed " + tries + " times, last: " + problem,
                        tries);
            }
            if (clock.instant().plus(wait).isAfter(command.getExpiresAt())) {
                throw new ExecutionFailure("http_error", "retrying " + channel + " would pass the command's expiry "
                        + command.getExpiresAt() + "; last: " + problem, tries);
            }
            if (!retry.pause(wait)) {
                throw new ExecutionFailure("interrupted", "stopped while retrying " + channel, tries);
            }
            backoff = retry.next(backoff);
        }
    }

    /**
     * The final answer of an {@link #exchange}: its status, the first bytes of its body as UTF-8, whether the body
     * was longer than the limit, the {@code Location} header (of a redirect, which is not followed; else null).
     */
    public record Answer(int status, String body, boolean truncated, String location, int attempts) {
    }

    /**
     * Sends the request, each try limited to {@code timeout} for the whole exchange (headers and body), and reads at
     * most {@code maxBodyBytes} of the body. 429 and 5xx answers that {@code accepted} does not take, timeouts and
     * connection errors are retried as {@link #send} does; any other answer, and the last 429/5xx when the tries or
     * the command's time run out, is returned for the caller to judge. Only a call that never got an answer fails:
     * {@link ExecutionFailure} with reason {@code timeout} (the last try got no answer in time) or
     * {@code http_error} (connection errors), naming {@code channel}.
     */
    public Answer exchange(ActionCommand command, String channel, HttpRequest request, IntPredicate accepted,
            Duration timeout, int maxBodyBytes) {
        Duration backoff = retry.firstBackoff();
        for (int tries = 1;; tries++) {
            String problem;
            String reason = "http_error";
            Duration wait = backoff;
            Answer answer = null;
            CompletableFuture<HttpResponse<BoundedBody.Bytes>> call = client.sendAsync(request,
                    BoundedBody.handler(maxBodyBytes));
            try {
                HttpResponse<BoundedBody.Bytes> response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                int status = response.statusCode();
                answer = new Answer(status, new String(response.body().content(), StandardCharsets.UTF_8),
                        response.body().truncated(), response.headers().firstValue("Location").orElse(null), tries);
                if (accepted.test(status) || (status != 429 && status / 100 != 5)) {
                    return answer;
                }
                problem = "HTTP " + status;
                wait = longest(backoff, retryAfter(response));
            } catch (TimeoutException | ExecutionException e) {
                // the request's own timeout (headers) and this wait (headers and body) race; both mean no answer
                Throwable cause = e.getCause();
                boolean timedOut = e instanceof TimeoutException || cause instanceof HttpTimeoutException;
                call.cancel(true);
                reason = timedOut ? "timeout" : "http_error";
                problem = timedOut ? "no answer within " + timeout.toMillis() + " ms"
                        : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
                                + cause.getMessage());
            } catch (InterruptedException e) {
                call.cancel(true);
                Thread.currentThread().interrupt();
                throw new ExecutionFailure("interrupted", "stopped while calling " + channel, tries);
            }
            boolean lastTry = tries >= retry.maxAttempts()
                    || clock.instant().plus(wait).isAfter(command.getExpiresAt());
            if (lastTry && answer != null) {
                return answer;
            }
            if (tries >= retry.maxAttempts()) {
                throw new ExecutionFailure(reason, channel + " failed " + tries + " times, last: " + problem, tries);
            }
            if (lastTry) {
                throw new ExecutionFailure(reason, "retrying " + channel + " would pass the command's expiry "
                        + command.getExpiresAt() + "; last: " + problem, tries);
            }
            if (!retry.pause(wait)) {
                throw new ExecutionFailure("interrupted", "stopped while retrying " + channel, tries);
            }
            backoff = retry.next(backoff);
        }
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Duration.ofSeconds(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                return Duration.ZERO;
            }
        }).orElse(Duration.ZERO);
    }

    private static Duration longest(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String excerpt(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return flat.length() <= MAX_BODY_IN_MESSAGE ? flat : flat.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }
}
