package io.runstream.workers;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
 */
public record SafetyPolicy(List<String> allowNamespaces, List<String> denyNamespaces, int maxReplicas,
        int maxScaleStep, int perTargetActions, int globalActions, Duration rateWindow) {

    public static final SafetyPolicy DEFAULTS = new SafetyPolicy(List.of(), List.of("kube-system"), 50, 10, 3, 30,
            Duration.ofMinutes(30));

    public SafetyPolicy {
        allowNamespaces = List.copyOf(allowNamespaces == null ? List.of() : allowNamespaces);
        denyNamespaces = List.copyOf(denyNamespaces == null ? List.of("kube-system") : denyNamespaces);
        Objects.requireNonNull(rateWindow, "safety.rateWindow");
        if (maxReplicas < 0 || maxScaleStep < 1 || perTargetActions < 1 || globalActions < 1) {
            throw new IllegalArgumentException("safety: maxReplicas >= 0, maxScaleStep, perTargetActions and"
                    + " globalActions >= 1 expected, was " + this);
        }
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
