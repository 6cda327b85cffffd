package io.runstream.workers.kubernetes;

import java.util.function.Supplier;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runstream.workers.Execution;

/**
 * Runs one read-then-act attempt with the API server's failure rules: 409 retried with a fresh read, 5xx
 * retried a few times, 401/403 a failure naming the permission that is missing.
 */
final class KubernetesCalls {

    static final String MARKER = "runstream.io/command-id";
    private static final int MAX_ATTEMPTS = 4;

    private KubernetesCalls() {
    }

    /** Runs {@code attempt} (which must re-read the target itself) until it is not a conflict or server error. */
    static Execution withRetries(String verb, String resource, Supplier<Execution> attempt) {
        KubernetesClientException last = null;
        for (int tries = 1; tries <= MAX_ATTEMPTS; tries++) {
            try {
                return attempt.get().withAttempts(tries);
            } catch (KubernetesClientException e) {
                last = e;
                int code = e.getCode();
                if (code == 401 || code == 403) {
                    return Execution.failed("forbidden", "the service account lacks permission to " + verb + " "
                            + resource + " (HTTP " + code + ")").withAttempts(tries);
                }
                if (code == 404) {
                    return Execution.failed("not_found", resource + " does not exist").withAttempts(tries);
                }
                boolean retryable = code == 409 || code >= 500 || code == 0;
                if (!retryable) {
                    break;
                }
            }
        }
        return Execution.failed("api_error", "API server refused to " + verb + " " + resource + ": "
                + (last == null ? "" : last.getCode() + " " + last.getMessage())).withAttempts(MAX_ATTEMPTS);
    }
}
