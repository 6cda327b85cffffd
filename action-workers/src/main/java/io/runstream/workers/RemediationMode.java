package io.runstream.workers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The global switch over every change the workers make. */
public enum RemediationMode {
    /** Commands are answered REJECTED; nothing is touched. */
    OFF("off"),
    /** Commands are evaluated and reported as DRY_RUN; nothing changes. */
    DRY_RUN("dry-run"),
    /** Commands change the targets. */
    ENFORCE("enforce");

    private final String configName;

    RemediationMode(String configName) {
        this.configName = configName;
    }

    @JsonValue
    public String configName() {
        return configName;
    }

    @JsonCreator
    public static RemediationMode fromConfig(String value) {
        for (RemediationMode mode : values()) {
            if (mode.configName.equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode must be off, dry-run or enforce, was '" + value + "'");
    }
}
