package io.runstream.workers.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.runstream.avro.DeploymentEvent;
import io.runstream.workers.Commands;
import io.runstream.workers.kubernetes.KubernetesCalls;

class RolloutDetectorTest {

    private final RolloutDetector detector = new RolloutDetector(Clock.fixed(Commands.NOW, ZoneOffset.UTC));

    private static Deployment gateway(long revision, String created) {
        return new DeploymentBuilder(Commands.deployment("prod", "gateway", 3)).editMetadata()
                .withCreationTimestamp(created).addToAnnotations(RolloutDetector.REVISION, Long.toString(revision))
                .endMetadata().build();
    }

    @Test
    void aDeploymentThatExistedBeforeTheWatcherIsRememberedNotReported() {
        assertThat(detector.added(gateway(7, "2026-11-01T10:00:00Z"))).isEmpty();

        DeploymentEvent next = detector.updated(gateway(8, "2026-11-01T10:00:00Z")).orElseThrow();

        assertThat(next.getRevision()).isEqualTo(8);
        assertThat(next.getPreviousRevision()).isEqualTo(7L);
        assertThat(next.getRolledOutAt()).isEqualTo(Commands.NOW);
    }

    @Test
    void resyncsRepeatsAndOlderRevisionsAreNotRollouts() {
        detector.added(gateway(7, "2026-11-01T10:00:00Z"));

        assertThat(detector.updated(gateway(7, "2026-11-01T10:00:00Z"))).isEmpty();
        assertThat(detector.updated(gateway(6, "2026-11-01T10:00:00Z"))).isEmpty();
        assertThat(detector.updated(gateway(8, "2026-11-01T10:00:00Z"))).isPresent();
        assertThat(detector.updated(gateway(8, "2026-11-01T10:00:00Z"))).isEmpty();
    }

    @Test
    void aDeploymentCreatedAfterTheWatcherStartedReportsItsFirstRevision() {
        DeploymentEvent first = detector.added(gateway(1, Commands.NOW.plusSeconds(30).toString())).orElseThrow();

        assertThat(first.getRevision()).isEqualTo(1);
        assertThat(first.getPreviousRevision()).isNull();
        assertThat(first.getImages()).containsEntry("gateway", "registry.example/gateway:1.8.0");
    }

    @Test
    void runstreamsOwnRemediationRolloutIsNotReportedButTheNextReleaseIs() {
        detector.added(gateway(7, "2026-11-01T10:00:00Z"));
        // the undo wrote generation 12 as its own; the API server gave the spec change generation 12
        Deployment undone = new DeploymentBuilder(gateway(8, "2026-11-01T10:00:00Z")).editMetadata()
                .withGeneration(12L).addToAnnotations(KubernetesCalls.OWN_GENERATION, "12").endMetadata().build();
        Deployment released = new DeploymentBuilder(gateway(9, "2026-11-01T10:00:00Z")).editMetadata()
                .withGeneration(13L).addToAnnotations(KubernetesCalls.OWN_GENERATION, "12").endMetadata().build();

        assertThat(detector.updated(undone)).isEmpty();
        DeploymentEvent release = detector.updated(released).orElseThrow();

        assertThat(release.getRevision()).isEqualTo(9);
        assertThat(release.getPreviousRevision()).isEqualTo(8L);
    }

    @Test
    void aRecreatedDeploymentStartsItsHistoryAgain() {
        detector.added(gateway(7, "2026-11-01T10:00:00Z"));
        detector.deleted(gateway(7, "2026-11-01T10:00:00Z"));

        assertThat(detector.updated(gateway(1, Commands.NOW.plusSeconds(60).toString()))).isPresent();
    }
}
