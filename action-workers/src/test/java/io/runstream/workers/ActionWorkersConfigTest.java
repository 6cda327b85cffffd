package io.runstream.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.common.config.ConfigLoader;

class ActionWorkersConfigTest {

    @Test
    void defaultsAreSafeDryRunDenyingKubeSystemWithThreeActionsPerTargetPerHalfHour() {
        ActionWorkersConfig config = new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                null, Map.of());

        assertThat(config.mode()).isEqualTo(RemediationMode.DRY_RUN);
        assertThat(config.safety().denyNamespaces()).containsExactly("kube-system");
        assertThat(config.safety().perTargetActions()).isEqualTo(3);
        assertThat(config.safety().rateWindow()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void badModeFailsNamingTheKey() {
        assertThatThrownBy(() -> new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS, null,
                Map.of("RUNSTREAM_MODE", "yolo"))).hasMessageContaining("mode");
    }
}
