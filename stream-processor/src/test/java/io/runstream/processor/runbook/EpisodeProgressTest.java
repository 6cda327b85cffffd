package io.runstream.processor.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import io.runstream.avro.RunbookProgressState;
import io.runstream.processor.runbook.RunbookProgress.Status;

class EpisodeProgressTest {

    private final Serde<RunbookProgressState> serde = EpisodeProgress.serde();

    @Test
    void keepsEveryRunbookOfTheEpisodeAndTheChangesItIssued() {
        EpisodeProgress progress = new EpisodeProgress("INC-1", 2, List.of(
                new RunbookProgress("scale-on-saturation", 0, "INC-1/reopen-2/scale-on-saturation/scale-up",
                        Status.ISSUED),
                new RunbookProgress("rollback-after-rollout", 0, "-", Status.WAITING)),
                Set.of("SCALE Deployment/ml-prod/inference-gateway {delta=+2}"));

        EpisodeProgress read = EpisodeProgress.fromState(roundTrip(progress.toState()), 5);

        assertThat(read.incidentId()).isEqualTo("INC-1");
        assertThat(read.episode()).isEqualTo(2);
        assertThat(read.runs()).isEqualTo(progress.runs());
        assertThat(read.issued("SCALE Deployment/ml-prod/inference-gateway {delta=+2}")).isTrue();
    }

    @Test
    void readsTheTextOfThePreviousRelease() {
        String previous = "2\u001fINC-1\u001f1\u001fSCALE Deployment/ml-prod/inference-gateway {delta=+2}"
                + "\u001escale-on-saturation\u001f0\u001fINC-1/reopen-1/scale-on-saturation/scale-up\u001fISSUED"
                + "\u001erollback-after-rollout\u001f0\u001f-\u001fWAITING";

        EpisodeProgress read = EpisodeProgress.fromState(readBytes(previous), 1);

        assertThat(read.incidentId()).isEqualTo("INC-1");
        assertThat(read.episode()).isEqualTo(1);
        assertThat(read.runs()).containsExactly(
                new RunbookProgress("scale-on-saturation", 0, "INC-1/reopen-1/scale-on-saturation/scale-up",
                        Status.ISSUED),
                new RunbookProgress("rollback-after-rollout", 0, "-", Status.WAITING));
        assertThat(read.issued("SCALE Deployment/ml-prod/inference-gateway {delta=+2}")).isTrue();
    }

    @Test
    void readsTheSingleRunbookValueOfEarlierReleasesAsTheCurrentEpisodesProgress() {
        String before = String.join("\u001f", "INC-1", "memory-pressure", "0",
                "INC-1/memory-pressure/raise-memory-limit", "AWAITING_APPROVAL");

        RunbookProgressState state = readBytes(before);
        EpisodeProgress read = EpisodeProgress.fromState(state, 1);

        assertThat(state.getEpisode()).isNull();
        assertThat(read.incidentId()).isEqualTo("INC-1");
        assertThat(read.episode()).isEqualTo(1);
        assertThat(read.runs()).containsExactly(new RunbookProgress("memory-pressure", 0,
                "INC-1/memory-pressure/raise-memory-limit", Status.AWAITING_APPROVAL));
    }

    @Test
    void refusesAValueItCannotReadNamingWhy() {
        assertThatThrownBy(() -> readBytes("9\u001fINC-1\u001f0\u001f"))
                .isInstanceOf(SerializationException.class).hasMessageContaining("version '9'");
    }

    private RunbookProgressState roundTrip(RunbookProgressState state) {
        return serde.deserializer().deserialize("runbook-progress-store",
                serde.serializer().serialize("runbook-progress-store", state));
    }

    private RunbookProgressState readBytes(String text) {
        return serde.deserializer().deserialize("runbook-progress-store", text.getBytes(StandardCharsets.UTF_8));
    }
}
