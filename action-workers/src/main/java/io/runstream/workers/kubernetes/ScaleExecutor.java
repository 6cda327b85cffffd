package io.runstream.workers.kubernetes;

import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;
import io.runstream.workers.SafetyPolicy;

/**
 * SCALE a Deployment or StatefulSet: {@code replicas=N} (absolute) or {@code delta=+N/-N} (relative), within
 * the replica cap and the largest scale step. Like {@code kubectl scale}, plus the command-id marker; APPLIED
 * until the {@link RolloutVerifier} sees the replicas updated and available (optional {@code rolloutTimeout}).
 */
public final class ScaleExecutor implements ActionExecutor {

    private final KubernetesCalls calls;
    private final SafetyPolicy safety;

    public ScaleExecutor(KubernetesCalls calls, SafetyPolicy safety) {
        this.calls = calls;
        this.safety = safety;
    }

    @Override
    public ActionType type() {
        return ActionType.SCALE;
    }

    @Override
    public Execution execute(ActionCommand command, boolean dryRun) {
        ActionTarget target = command.getTarget();
        Workloads.requireWorkload(target);
        RolloutWait wait = calls.rolloutWait(command);
        ActionCommand change = RolloutWait.withoutTimeout(command);
        return calls.withRetries(command, () -> attempt(change, wait, dryRun));
    }

    private Execution attempt(ActionCommand command, RolloutWait wait, boolean dryRun) {
        ActionTarget target = command.getTarget();
        HasMetadata workload = Workloads.read(calls, target);
        int current = Workloads.replicas(workload);
        Map<String, String> before = Map.of("replicas", Integer.toString(current));
        if (command.getCommandId().equals(Workloads.marker(workload))) {
            return wait.alreadyApplied("this command already scaled " + target.getName() + " to " + current,
                    before, workload, dryRun);
        }
        int wanted = wantedReplicas(command.getParameters(), current);
        if (wanted > safety.maxReplicas()) {
            throw new RejectedCommandException("replica_cap", "scaling to " + wanted + " exceeds the cap of "
                    + safety.maxReplicas() + " replicas");
        }
        if (Math.abs(wanted - current) > safety.maxScaleStep()) {
            throw new RejectedCommandException("scale_step", "scaling from " + current + " to " + wanted
                    + " exceeds the largest step of " + safety.maxScaleStep());
        }
        Map<String, String> after = Map.of("replicas", Integer.toString(wanted));
        if (wanted == current) {
            return wait.alreadyApplied(target.getName() + " already runs " + current + " replicas", before,
                    workload, dryRun);
        }
        String id = command.getCommandId();
        if (workload instanceof Deployment d) {
            Deployment changed = new DeploymentBuilder(d).editMetadata().addToAnnotations(KubernetesCalls.MARKER, id)
                    .endMetadata().editSpec().withReplicas(wanted).endSpec().build();
            Workloads.update(calls, changed, Workloads.resource(target), dryRun);
        } else if (workload instanceof StatefulSet s) {
            StatefulSet changed = new StatefulSetBuilder(s).editMetadata()
                    .addToAnnotations(KubernetesCalls.MARKER, id).endMetadata().editSpec().withReplicas(wanted)
                    .endSpec().build();
            Workloads.update(calls, changed, Workloads.resource(target), dryRun);
        }
        String message = "scale " + target.getKind() + " " + target.getName() + " from " + current + " to " + wanted;
        return dryRun ? Execution.dryRun("would " + message, before, after)
                : wait.applied(message, before, after);
    }

    static int wantedReplicas(Map<String, String> parameters, int current) {
        String absolute = parameters.get("replicas");
        String delta = parameters.get("delta");
        if ((absolute == null) == (delta == null)) {
            throw new RejectedCommandException("malformed_parameters",
                    "SCALE needs exactly one of replicas=N or delta=+N/-N, got " + parameters.keySet());
        }
        try {
            int value = Integer.parseInt(absolute != null ? absolute.trim() : delta.trim());
            int wanted = absolute != null ? value : current + value;
            if (wanted < 0) {
                throw new RejectedCommandException("malformed_parameters", "replicas would be negative: " + wanted);
            }
            return wanted;
        } catch (NumberFormatException e) {
            throw new RejectedCommandException("malformed_parameters",
                    "SCALE replicas/delta must be an integer, was '" + (absolute != null ? absolute : delta) + "'");
        }
    }
}
