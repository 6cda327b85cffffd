package io.runstream.workers;

import java.util.Objects;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;

/** Everything the action workers are configured with; defaults in {@code action-workers-defaults.yaml}. */
public record ActionWorkersConfig(KafkaSettings kafka, HttpSettings http, RemediationMode mode) {

    public static final String DEFAULTS = "action-workers-defaults.yaml";

    public ActionWorkersConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(mode, "mode");
    }
}
