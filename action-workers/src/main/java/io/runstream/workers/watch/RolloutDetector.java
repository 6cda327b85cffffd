package io.runstream.workers.watch;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.runstream.avro.DeploymentEvent;
import io.runstream.workers.kubernetes.KubernetesCalls;

/**
 * Decides which Deployment notifications are new rollout revisions: a revision annotation higher than any seen
 * for that Deployment. Deployments that already existed when the watcher started are remembered, not reported,
 * so a restarted watcher does not make every Deployment look freshly rolled out; nor are the rollouts
 * Runstream's own remediations started.
 */
final class RolloutDetector {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

    private final Clock clock;
    private final Instant started;
    private final Map<String, Long> lastRevision = new ConcurrentHashMap<>();

    RolloutDetector(Clock clock) {
        this.clock = clock;
        this.started = clock.instant();
    }

    static String key(Deployment deployment) {
        return deployment.getMetadata().getNamespace() + "/" + deployment.getMetadata().getName();
    }

    Optional<DeploymentEvent> added(Deployment deployment) {
        long revision = revision(deployment);
        String created = deployment.getMetadata().getCreationTimestamp();
        boolean preexisting = created == null || !Instant.parse(created).isAfter(started);
        if (preexisting) {
            lastRevision.merge(key(deployment), revision, Math::max);
            return Optional.empty();
        }
        return next(deployment, revision);
    }

    Optional<DeploymentEvent> updated(Deployment deployment) {
        return next(deployment, revision(deployment));
    }

    void deleted(Deployment deployment) {
        lastRevision.remove(key(deployment));
    }

    private Optional<DeploymentEvent> next(Deployment deployment, long revision) {
        Long previous = lastRevision.get(key(deployment));
        if (revision < 1 || (previous != null && revision <= previous)) {
            return Optional.empty();
        }
        lastRevision.put(key(deployment), revision);
        if (ownRollout(deployment)) {
            // a remediation is on the incident's timeline already; as a "recent rollout" it would invite a rollback
            return Optional.empty();
        }
        return Optional.of(event(deployment, revision, previous == null || previous == 0 ? null : previous));
    }

    private DeploymentEvent event(Deployment deployment, long revision, Long previous) {
        Map<String, String> images = new LinkedHashMap<>();
        deployment.getSpec().getTemplate().getSpec().getContainers()
                .forEach(c -> images.put(c.getName(), c.getImage()));
        Map<String, String> labels = deployment.getMetadata().getLabels() == null ? Map.of()
                : deployment.getMetadata().getLabels();
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        return DeploymentEvent.newBuilder()
                .setNamespace(deployment.getMetadata().getNamespace())
                .setDeployment(deployment.getMetadata().getName())
                .setService(labels.getOrDefault("app.kubernetes.io/name", labels.getOrDefault("app",
                        labels.get("service"))))
                .setRevision(revision)
                .setPreviousRevision(previous)
                .setImages(images)
                .setChangeCause(annotations == null ? null : annotations.get(CHANGE_CAUSE))
                .setRolledOutAt(clock.instant())
                .build();
    }

    /** Whether the running spec is the one Runstream's own pod-template change produced. */
    static boolean ownRollout(Deployment deployment) {
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        Long generation = deployment.getMetadata().getGeneration();
        return annotations != null && generation != null
                && generation.toString().equals(annotations.get(KubernetesCalls.OWN_GENERATION));
    }

    private static long revision(Deployment deployment) {
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(REVISION);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
