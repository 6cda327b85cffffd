package io.runstream.processor.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * Detection's stored per-service state survives the upgrade that added the metrics absent rules watch and the
 * model versions a model rollback goes back to.
 */
class EvaluationStateSerdeTest {

    private final Serde<EvaluationState> serde = EvaluationStateSerde.serde();

    @Test
    void keepsActiveGroupAlertsAndTheMetricsAServiceHasSent() {
        EvaluationState state = new EvaluationState(1_000, "ml-serving",
                Map.of(AlertKeys.key("CircuitBreakerOpen/critical", Series.labelsKey(Map.of("dependency", "redis"))),
                        new ActiveAlert(500, true)), Set.of("up"));

        EvaluationState read = roundTrip(state);

        assertThat(read.nextEvaluation()).isEqualTo(1_000);
        assertThat(read.active()).isEqualTo(state.active());
        assertThat(read.hasSent("up")).isTrue();
        assertThat(read.hasSent("DCGM_FI_DEV_GPU_UTIL")).isFalse();
    }

    @Test
    void keepsTheModelVersionAndThePreviousOne() {
        EvaluationState state = new EvaluationState(3600_000L, "ml-prod",
                Map.of("ModelAccuracyDegraded/critical", new ActiveAlert(0L, true)), Set.of(), "8", "7");

        EvaluationState read = roundTrip(state);

        assertThat(read.modelVersion()).isEqualTo("8");
        assertThat(read.previousModelVersion()).isEqualTo("7");
        assertThat(read.active()).containsKey("ModelAccuracyDegraded/critical");
    }

    @Test
    void readsAVersionOneStateAsHavingSentNothingWithNoModelVersionsKnown() throws IOException {
        // Version 1: next evaluation, namespace, active alerts; nothing after them.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(2_000);
            out.writeBoolean(true);
            out.writeUTF("ml-serving");
            out.writeInt(1);
            out.writeUTF("HighErrorRate/critical");
            out.writeLong(1_500);
            out.writeBoolean(true);
        }

        EvaluationState read = serde.deserializer().deserialize("t", bytes.toByteArray());

        assertThat(read.namespace()).isEqualTo("ml-serving");
        assertThat(read.active()).containsEntry("HighErrorRate/critical", new ActiveAlert(1_500, true));
        assertThat(read.sentMetrics()).isEmpty();
        assertThat(read.modelVersion()).isNull();
        assertThat(read.previousModelVersion()).isNull();
    }

    private EvaluationState roundTrip(EvaluationState state) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", state));
    }
}
