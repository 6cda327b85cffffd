package io.runstream.workers.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runstream.avro.ActionCommand;
import io.runstream.workers.Execution;
import io.runstream.workers.RetryPolicy;

/**
 * The client plus the API server's failure rules, shared by every Kubernetes executor: 409 retried at once
 * with a fresh read, 429, 5xx and timeouts retried with backoff while the command has not expired, 401/403 a
 * failure naming the verb, resource and namespace the service account lacks.
 */
public final class KubernetesCalls {

    static final String MARKER = "runstream.io/command-id";
    /** The generation a workload gets from Runstream's own pod-template change (see the Deployment watcher). */
    public static final String OWN_GENERATION = "runstream.io/changed-generation";

    /** The rollout wait of a command without its own {@code rolloutTimeout}, unless configured otherwise. */
    public static final Duration DEFAULT_ROLLOUT_TIMEOUT = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final Clock clock;
    private final RetryPolicy retry;
    private final Duration rolloutTimeout;

    public KubernetesCalls(KubernetesClient client, Clock clock, RetryPolicy retry) {
        this(client, clock, retry, DEFAULT_ROLLOUT_TIMEOUT);
    }

    /** @param rolloutTimeout how long a change's rollout may take when its command names no rolloutTimeout */
    public KubernetesCalls(KubernetesClient client, Clock clock, RetryPolicy retry, Duration rolloutTimeout) {
        this.client = client;
        this.clock = clock;
        this.retry = retry;
        this.rolloutTimeout = rolloutTimeout;
    }

    /** How long this command's rollout may take, from now (REJECTED when its rolloutTimeout is malformed). */
    RolloutWait rolloutWait(ActionCommand command) {
        return RolloutWait.of(command, clock.instant(), rolloutTimeout);
    }

    KubernetesClient client() {
        return client;
    }

    Clock clock() {
        return clock;
    }

    /** Runs one API request, labelling a failure with what was asked, for the permission message. */
    <T> T call(String verb, String resource, String namespace, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            throw new ApiFailure(verb, resource, namespace, e.getCode(), e.getMessage());
        }
    }

    /** Runs {@code attempt} (which must re-read the target itself) until it is not a retryable failure. */
    Execution withRetries(ActionCommand command, Supplier<Execution> attempt) {
        Duration backoff = retry.firstBackoff();
        for (int tries = 1;; tries++) {
            try {
                return attempt.get().withAttempts(tries);
            } catch (ApiFailure e) {
                Execution terminal = terminal(e);
                if (terminal != null) {
                    return terminal.withAttempts(tries);
                }
                if (tries >= retry.maxAttempts()) {
                    return Execution.failed("api_error", "gave up after " + tries + " attempts: " + e.describe())
                            .withAttempts(tries);
                }
                // a conflict means someone else just wrote: re-read at once; server trouble gets time to recover
                Duration wait = e.code() == 409 ? Duration.ZERO : backoff;
                if (clock.instant().plus(wait).isAfter(command.getExpiresAt())) {
                    return Execution.failed("api_error", "retrying would pass the command's expiry "
                            + command.getExpiresAt() + ": " + e.describe()).withAttempts(tries);
                }
                if (!retry.pause(wait)) {
                    return Execution.failed("interrupted", "stopped while retrying: " + e.describe())
                            .withAttempts(tries);
                }
                backoff = retry.next(backoff);
            }
        }
    }

    /** The failure result for errors that retrying cannot fix, or null when a retry may help. */
    private static Execution terminal(ApiFailure e) {
        int code = e.code();
        if (code == 401 || code == 403) {
            return Execution.failed("forbidden", "the service account lacks permission to " + e.verb() + " "
                    + e.resource() + (e.namespace() == null ? "" : " in namespace " + e.namespace()) + " (HTTP "
                    + code + "): " + e.getMessage());
        }
        if (code == 404) {
            return Execution.failed("not_found", e.resource() + " not found"
                    + (e.namespace() == null ? "" : " in namespace " + e.namespace()) + ": " + e.getMessage());
        }
        // code 0 or -1: no HTTP answer at all (timeout, connection refused or reset)
        boolean retryable = code == 409 || code == 429 || code >= 500 || code <= 0;
        return retryable ? null : Execution.failed("api_error", e.describe());
    }

    /** A failed API request with the verb and resource it was for; {@code code} <= 0 for timeouts and I/O errors. */
    static final class ApiFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final String verb;
        private final String resource;
        private final String namespace;
        private final int code;

        ApiFailure(String verb, String resource, String namespace, int code, String message) {
            super(message);
            this.verb = verb;
            this.resource = resource;
            this.namespace = namespace;
            this.code = code;
        }

        static ApiFailure notFound(String resource, String namespace, String name) {
            return new ApiFailure("get", resource, namespace, 404, name + " does not exist");
        }

        String verb() {
            return verb;
        }

        String resource() {
            return resource;
        }

        String namespace() {
            return namespace;
        }

        int code() {
            return code;
        }

        String describe() {
            return verb + " " + resource + (namespace == null ? "" : " in " + namespace) + " failed (HTTP " + code
                    + "): " + getMessage();
        }
    }
}
