package io.runstream.workers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.runstream.avro.ActionCommand;

/**
 * The safety rules every Kubernetes change passes: namespaces allowed and denied, replica cap and largest
 * scale step, and the rate limits per target and over all targets.
 *
 * @param allowNamespaces namespaces the workers may change; empty means all not denied
 * @param denyNamespaces namespaces never changed (kube-system by default)
 * @param maxReplicas the largest replica count a SCALE may set
 * @param maxScaleStep the largest change in replicas one SCALE may make
 * @param perTargetActions actions allowed per target within {@code rateWindow}
 * @param globalActions actions allowed over all targets within {@code rateWindow}
 * @param rateWindow the sliding window of both rate limits
 * @param maxCommandExpiry the longest a command lives after it was issued, whatever its own {@code expiresAt}
 *        says: older commands are EXPIRED, which is what lets a starting worker read only the recent results
 */
public record SafetyPolicy(List<String> allowNamespaces, List<String> denyNamespaces, int maxReplicas,
        int maxScaleStep, int perTargetActions, int globalActions, Duration rateWindow, Duration maxCommandExpiry) {

    public static final SafetyPolicy DEFAULTS = new SafetyPolicy(List.of(), List.of("kube-system"), 50, 10, 3, 30,
            Duration.ofMinutes(30), Duration.ofHours(24));

    public SafetyPolicy {
        allowNamespaces = List.copyOf(allowNamespaces == null ? List.of() : allowNamespaces);
        denyNamespaces = List.copyOf(denyNamespaces == null ? List.of("kube-system") : denyNamespaces);
        Objects.requireNonNull(rateWindow, "safety.rateWindow");
        maxCommandExpiry = maxCommandExpiry == null ? Duration.ofHours(24) : maxCommandExpiry;
        if (maxCommandExpiry.isNegative() || maxCommandExpiry.isZero()) {
            throw new IllegalArgumentException("safety.maxCommandExpiry must be positive, was " + maxCommandExpiry);
        }
        if (maxReplicas < 0 || maxScaleStep < 1 || perTargetActions < 1 || globalActions < 1) {
            throw new IllegalArgumentException("safety: maxReplicas >= 0, maxScaleStep, perTargetActions and"
                    + " globalActions >= 1 expected, was " + this);
        }
    }

    /** When the command stops being executed: its own expiry, at most {@code maxCommandExpiry} after issue. */
    public Instant expiryOf(ActionCommand command) {
        Instant capped = command.getIssuedAt().plus(maxCommandExpiry);
        return command.getExpiresAt().isBefore(capped) ? command.getExpiresAt() : capped;
    }

    /**
     * How far back a starting worker reads action-results: every command that could still arrive (issued within
     * {@code maxCommandExpiry}), the verification of its change (at most {@code rolloutWait} after it) and the
     * rate window.
     */
    public Duration resultsLookback(Duration rolloutWait) {
        Duration commands = maxCommandExpiry.plus(rolloutWait);
        return commands.compareTo(rateWindow) >= 0 ? commands : rateWindow;
    }

    /** Null when the namespace may be changed, else why not. */
    public String namespaceProblem(String namespace) {
        if (namespace == null) {
            return null;
        }
        if (denyNamespaces.contains(namespace)) {
            return "namespace " + namespace + " is on the deny list";
        }
        if (!allowNamespaces.isEmpty() && !allowNamespaces.contains(namespace)) {
            return "namespace " + namespace + " is not on the allow list " + allowNamespaces;
        }
        return null;
    }
}
