package io.runstream.processor.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EvaluationStateSerdeTest {

    @Test
    void keepsTheModelVersionAndThePreviousOne() {
        EvaluationState state = new EvaluationState(3600_000L, "ml-prod",
                Map.of("ModelAccuracyDegraded/critical", new ActiveAlert(0L, true)), "8", "7");

        EvaluationState read = roundTrip(state);

        assertThat(read.modelVersion()).isEqualTo("8");
        assertThat(read.previousModelVersion()).isEqualTo("7");
        assertThat(read.active()).containsKey("ModelAccuracyDegraded/critical");
    }

    @Test
    void readsTheVersionOneStateOfEarlierReleasesWithNoModelVersionsKnown() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(3600_000L);
            out.writeBoolean(true);
            out.writeUTF("ml-prod");
            out.writeInt(1);
            out.writeUTF("DataDrift/warning");
            out.writeLong(0L);
            out.writeBoolean(true);
        }

        EvaluationState read = EvaluationStateSerde.serde().deserializer().deserialize("t", bytes.toByteArray());

        assertThat(read.nextEvaluation()).isEqualTo(3600_000L);
        assertThat(read.namespace()).isEqualTo("ml-prod");
        assertThat(read.active()).containsKey("DataDrift/warning");
        assertThat(read.modelVersion()).isNull();
        assertThat(read.previousModelVersion()).isNull();
    }

    private static EvaluationState roundTrip(EvaluationState state) {
        byte[] bytes = EvaluationStateSerde.serde().serializer().serialize("t", state);
        return EvaluationStateSerde.serde().deserializer().deserialize("t", bytes);
    }
}
