package io.runstream.workers;

import java.util.Objects;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;

/**
 * Everything the action workers are configured with; defaults in {@code action-workers-defaults.yaml}.
 *
 * @param kafka the broker and topic settings
 * @param http the health/metrics server
 * @param mode off, dry-run or enforce: the global switch over every change
 * @param workerId the name this worker writes into each result
 * @param safety namespace lists, replica caps and rate limits
 * @param kubernetes whether the Kubernetes executors run (off for a stack without a cluster)
 */
public record ActionWorkersConfig(KafkaSettings kafka, HttpSettings http, RemediationMode mode, String workerId,
        SafetyPolicy safety, KubernetesSettings kubernetes) {

    public static final String DEFAULTS = "action-workers-defaults.yaml";

    public ActionWorkersConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(safety, "safety");
        Objects.requireNonNull(kubernetes, "kubernetes");
        if (workerId == null || workerId.isBlank()) {
            throw new IllegalArgumentException("workerId must not be blank");
        }
    }

    /**
     * @param enabled whether to build a Kubernetes client (in-cluster service account or ~/.kube/config)
     */
    public record KubernetesSettings(boolean enabled) {
    }
}
