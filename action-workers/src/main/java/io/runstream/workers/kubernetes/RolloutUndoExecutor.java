package io.runstream.workers.kubernetes;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.workers.RejectedCommandException;

/**
 * ROLLOUT_UNDO of a Deployment, as {@code kubectl rollout undo [--to-revision=N]}: copies the pod template of
 * the ReplicaSet holding the wanted revision (the one before the running one, or {@code toRevision=N}) back
 * into the Deployment. Before/after: {@code revision} (whose pod template runs) and {@code image.<container>}.
 * StatefulSets keep their history in ControllerRevisions and are refused; restart or set env them instead.
 */
public final class RolloutUndoExecutor extends TemplateChange {

    static final String REVISION = "deployment.kubernetes.io/revision";
    private static final String HASH_LABEL = "pod-template-hash";

    public RolloutUndoExecutor(KubernetesCalls calls) {
        super(calls);
    }

    @Override
    public ActionType type() {
        return ActionType.ROLLOUT_UNDO;
    }

    @Override
    protected Plan plan(ActionCommand command, HasMetadata workload, PodTemplateSpec template) {
        if (!(workload instanceof Deployment deployment)) {
            throw new RejectedCommandException("unsupported_kind", "ROLLOUT_UNDO supports Deployments only, not "
                    + workload.getKind());
        }
        Long toRevision = toRevision(command.getParameters());
        List<Revision> history = history(deployment);
        long running = history.stream().filter(r -> r.template().equals(template)).map(Revision::number)
                .findFirst().orElseGet(() -> annotatedRevision(deployment));
        Revision wanted = (toRevision != null
                ? history.stream().filter(r -> r.number() == toRevision).findFirst()
                : history.stream().filter(r -> r.number() < running).max(Comparator.comparingLong(Revision::number)))
                .orElseThrow(() -> new RejectedCommandException("revision_not_found", toRevision != null
                        ? "Deployment " + deployment.getMetadata().getName() + " has no revision " + toRevision
                        : "Deployment " + deployment.getMetadata().getName() + " has no revision before "
                                + running));
        Map<String, String> before = state(running, template);
        Map<String, String> after = state(wanted.number(), wanted.template());
        return new Plan(before, after, () -> deployment.getSpec().setTemplate(wanted.template()),
                "undo " + deployment.getMetadata().getName() + " from revision " + running + " to "
                        + wanted.number());
    }

    private static Long toRevision(Map<String, String> parameters) {
        for (String key : parameters.keySet()) {
            if (!key.equals("toRevision")) {
                throw new RejectedCommandException("malformed_parameters",
                        "ROLLOUT_UNDO takes only toRevision=N, not " + key);
            }
        }
        String value = parameters.get("toRevision");
        if (value == null) {
            return null;
        }
        try {
            long revision = Long.parseLong(value.trim());
            if (revision < 1) {
                throw new NumberFormatException();
            }
            return revision;
        } catch (NumberFormatException e) {
            throw new RejectedCommandException("malformed_parameters",
                    "toRevision must be a positive integer, was '" + value + "'");
        }
    }

    /** A revision of the Deployment: its number and its pod template as the Deployment would carry it. */
    private record Revision(long number, PodTemplateSpec template) {
    }

    /** The revisions the Deployment's own ReplicaSets hold (controller owner reference, revision annotation). */
    private List<Revision> history(Deployment deployment) {
        String ns = deployment.getMetadata().getNamespace();
        List<ReplicaSet> sets = calls.call("list", "replicasets.apps", ns, () -> calls.client().apps()
                .replicaSets().inNamespace(ns).withLabels(deployment.getSpec().getSelector().getMatchLabels())
                .list().getItems());
        return sets.stream().filter(rs -> ownedBy(rs, deployment))
                .flatMap(rs -> revisionOf(rs).map(n -> new Revision(n, withoutHash(rs.getSpec().getTemplate())))
                        .stream())
                .toList();
    }

    private static boolean ownedBy(ReplicaSet rs, Deployment deployment) {
        List<OwnerReference> owners = rs.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> Boolean.TRUE.equals(o.getController())
                && deployment.getMetadata().getUid().equals(o.getUid()));
    }

    private static Optional<Long> revisionOf(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        try {
            return Optional.ofNullable(annotations).map(a -> a.get(REVISION)).map(Long::parseLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long annotatedRevision(Deployment deployment) {
        return revisionOf(deployment).orElse(0L);
    }

    /** The ReplicaSet's template without the hash label the controller adds, as it was in the Deployment. */
    private static PodTemplateSpec withoutHash(PodTemplateSpec template) {
        PodTemplateSpec copy = new PodTemplateSpecBuilder(template).build();
        if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
            Map<String, String> labels = new HashMap<>(copy.getMetadata().getLabels());
            labels.remove(HASH_LABEL);
            copy.getMetadata().setLabels(labels);
        }
        return copy;
    }

    private static Map<String, String> state(long revision, PodTemplateSpec template) {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("revision", Long.toString(revision));
        template.getSpec().getContainers().forEach(c -> state.put("image." + c.getName(), c.getImage()));
        return state;
    }
}
