package io.runstream.workers.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

import io.runstream.avro.ActionCommand;
import io.runstream.workers.ExecutionFailure;
import io.runstream.workers.RetryPolicy;

/**
 * HTTP calls of the Alertmanager and notification executors: 429, 5xx, timeouts and connection errors are
 * retried with backoff (at least the server's Retry-After) while the command has not expired. Failure messages
 * name the channel, never the URL or a credential, since webhook URLs are secrets.
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
