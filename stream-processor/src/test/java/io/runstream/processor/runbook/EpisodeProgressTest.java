package io.runstream.processor.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.runstream.processor.runbook.RunbookProgress.Status;

class EpisodeProgressTest {

    @Test
    void keepsEveryRunbookOfTheEpisodeAndTheChangesItIssued() {
        EpisodeProgress progress = new EpisodeProgress("INC-1", 2, List.of(
                new RunbookProgress("scale-on-saturation", 0, "INC-1/reopen-2/scale-on-saturation/scale-up",
                        Status.ISSUED),
                new RunbookProgress("rollback-after-rollout", 0, "-", Status.WAITING)),
                Set.of("SCALE Deployment/ml-prod/inference-gateway {delta=+2}"));

        EpisodeProgress read = EpisodeProgress.decode(progress.encode(), 2);

        assertThat(read.incidentId()).isEqualTo("INC-1");
        assertThat(read.episode()).isEqualTo(2);
        assertThat(read.runs()).isEqualTo(progress.runs());
        assertThat(read.issued("SCALE Deployment/ml-prod/inference-gateway {delta=+2}")).isTrue();
    }

    @Test
    void readsTheSingleRunbookValueOfEarlierReleasesAsTheCurrentEpisodesProgress() {
        String before = String.join("\u001f", "INC-1", "memory-pressure", "0",
                "INC-1/memory-pressure/raise-memory-limit", "AWAITING_APPROVAL");

        EpisodeProgress read = EpisodeProgress.decode(before, 1);

        assertThat(read.incidentId()).isEqualTo("INC-1");
        assertThat(read.episode()).isEqualTo(1);
        assertThat(read.runs()).containsExactly(new RunbookProgress("memory-pressure", 0,
                "INC-1/memory-pressure/raise-memory-limit", Status.AWAITING_APPROVAL));
    }

    @Test
    void refusesAValueItCannotReadNamingWhy() {
        assertThatThrownBy(() -> EpisodeProgress.decode("9\u001fINC-1\u001f0\u001f", 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("version '9'");
    }
}
