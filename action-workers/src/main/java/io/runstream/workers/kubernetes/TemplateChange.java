package io.runstream.workers.kubernetes;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionTarget;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;

/**
 * Base of the executors that change a workload's pod template (restart, env, resources, undo): read the
 * Deployment or StatefulSet, answer ALREADY_APPLIED when it carries this command's marker or already has the
 * wanted state (APPLIED instead while its rollout is not complete), else change the freshly read object, mark it
 * and update it (409 retried with a new read) and answer APPLIED: the {@link RolloutVerifier} gives the final
 * SUCCEEDED or FAILED. Every such action also takes {@code rolloutTimeout} (see {@link RolloutWait}).
 */
abstract class TemplateChange implements ActionExecutor {

    static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

    protected final KubernetesCalls calls;

    TemplateChange(KubernetesCalls calls) {
        this.calls = calls;
    }

    /** The state before and after; {@code apply} mutates the freshly read workload into the after state. */
    protected record Plan(Map<String, String> before, Map<String, String> after, Runnable apply, String what) {
    }

    /** Validates the parameters and plans the change on the freshly read workload. */
    protected abstract Plan plan(ActionCommand command, HasMetadata workload, PodTemplateSpec template);

    @Override
    public final Execution execute(ActionCommand command, boolean dryRun) {
        ActionTarget target = command.getTarget();
        Workloads.requireWorkload(target);
        RolloutWait wait = calls.rolloutWait(command);
        ActionCommand change = RolloutWait.withoutTimeout(command);
        return calls.withRetries(command, () -> attempt(change, wait, dryRun));
    }

    private Execution attempt(ActionCommand command, RolloutWait wait, boolean dryRun) {
        HasMetadata workload = Workloads.read(calls, command.getTarget());
        boolean marked = command.getCommandId().equals(Workloads.marker(workload));
        Plan plan;
        try {
            plan = plan(command, workload, template(workload));
        } catch (RejectedCommandException e) {
            if (marked) {
                // planned against a state this command already changed (e.g. the undone-to revision renumbered)
                return wait.alreadyApplied("this command already applied to " + command.getTarget().getName(),
                        Map.of(), workload, dryRun);
            }
            throw e;
        }
        if (marked) {
            return wait.alreadyApplied("this command already applied: " + plan.what(), plan.before(), workload,
                    dryRun);
        }
        if (plan.before().equals(plan.after())) {
            return wait.alreadyApplied("already in place: " + plan.what(), plan.before(), workload, dryRun);
        }
        plan.apply().run();
        workload.getMetadata().getAnnotations().put(KubernetesCalls.MARKER, command.getCommandId());
        // a template change starts a rollout; the cause lets the watcher's DeploymentEvent (and kubectl rollout
        // history) show it was Runstream's own, so it is not mistaken for a release to roll back
        workload.getMetadata().getAnnotations().put(CHANGE_CAUSE, "runstream: " + plan.what() + " (command "
                + command.getCommandId() + ", incident " + command.getIncidentId() + ")");
        // the API server bumps metadata.generation once for this spec change; the watcher compares the two to
        // tell this remediation rollout from a later release (which bumps it again but keeps our annotations)
        Long generation = workload.getMetadata().getGeneration();
        if (generation != null) {
            workload.getMetadata().getAnnotations().put(KubernetesCalls.OWN_GENERATION, Long.toString(generation + 1));
        }
        Workloads.update(calls, workload, Workloads.resource(command.getTarget()), dryRun);
        return dryRun ? Execution.dryRun("would " + plan.what(), plan.before(), plan.after())
                : wait.applied(plan.what(), plan.before(), plan.after());
    }

    static PodTemplateSpec template(HasMetadata workload) {
        return workload instanceof Deployment d ? d.getSpec().getTemplate()
                : ((StatefulSet) workload).getSpec().getTemplate();
    }

    /** The container the target names, or the first one. */
    static Container container(ActionTarget target, PodTemplateSpec template) {
        var containers = template.getSpec().getContainers();
        if (target.getContainer() == null) {
            return containers.get(0);
        }
        return containers.stream().filter(c -> c.getName().equals(target.getContainer())).findFirst()
                .orElseThrow(() -> new RejectedCommandException("malformed_parameters", "no container "
                        + target.getContainer() + " in " + target.getName()));
    }
}
