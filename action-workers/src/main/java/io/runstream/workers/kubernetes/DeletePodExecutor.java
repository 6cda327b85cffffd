package io.runstream.workers.kubernetes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;

/**
 * DELETE_POD, as {@code kubectl delete pod} (optionally {@code gracePeriodSeconds=N}), so its controller
 * replaces it. A deleted pod cannot carry a marker, so the change counts as already made when the pod is gone,
 * is terminating, or was created after the command was issued (a StatefulSet's replacement keeps the name).
 */
public final class DeletePodExecutor implements ActionExecutor {

    private static final String RESOURCE = "pods";
    private static final long MAX_GRACE_SECONDS = 3600;

    private final KubernetesCalls calls;

    public DeletePodExecutor(KubernetesCalls calls) {
        this.calls = calls;
    }

    @Override
    public ActionType type() {
        return ActionType.DELETE_POD;
    }

    @Override
    public Execution execute(ActionCommand command, boolean dryRun) {
        ActionTarget target = command.getTarget();
        if (!"Pod".equals(target.getKind())) {
            throw new RejectedCommandException("unsupported_kind", "DELETE_POD needs a Pod target, was "
                    + target.getKind());
        }
        Workloads.requireNamespace(target);
        Long grace = gracePeriod(command.getParameters());
        return calls.withRetries(command, () -> attempt(command, grace, dryRun));
    }

    private Execution attempt(ActionCommand command, Long grace, boolean dryRun) {
        ActionTarget target = command.getTarget();
        String ns = target.getNamespace();
        String name = ns + "/" + target.getName();
        Pod pod = calls.call("get", RESOURCE, ns,
                () -> calls.client().pods().inNamespace(ns).withName(target.getName()).get());
        if (pod == null) {
            return Execution.alreadyApplied("pod " + name + " does not exist (already deleted)",
                    Map.of("pod", "absent"));
        }
        Map<String, String> before = state(pod);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return Execution.alreadyApplied("pod " + name + " is already terminating", before);
        }
        Instant created = pod.getMetadata().getCreationTimestamp() == null ? null
                : Instant.parse(pod.getMetadata().getCreationTimestamp());
        // creation times have whole seconds: only a pod from a later second is surely a replacement
        if (created != null && created.isAfter(command.getIssuedAt())) {
            return Execution.alreadyApplied("pod " + name + " was created at " + created
                    + ", after the command was issued; it is already the replacement", before);
        }
        calls.call("delete", RESOURCE, ns, () -> {
            var handle = calls.client().pods().inNamespace(ns).withName(target.getName()).dryRun(dryRun);
            return grace == null ? handle.delete() : handle.withGracePeriod(grace).delete();
        });
        Map<String, String> after = Map.of("pod", "deleted");
        return dryRun ? Execution.dryRun("would delete pod " + name, before, after)
                : Execution.succeeded("deleted pod " + name, before, after);
    }

    private static Map<String, String> state(Pod pod) {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("pod", "present");
        state.put("uid", String.valueOf(pod.getMetadata().getUid()));
        state.put("phase", pod.getStatus() == null ? "unknown" : String.valueOf(pod.getStatus().getPhase()));
        state.put("node", pod.getSpec() == null ? "none" : String.valueOf(pod.getSpec().getNodeName()));
        state.put("created", String.valueOf(pod.getMetadata().getCreationTimestamp()));
        return state;
    }

    private static Long gracePeriod(Map<String, String> parameters) {
        for (String key : parameters.keySet()) {
            if (!key.equals("gracePeriodSeconds")) {
                throw new RejectedCommandException("malformed_parameters",
                        "DELETE_POD takes only gracePeriodSeconds=N, not " + key);
            }
        }
        String value = parameters.get("gracePeriodSeconds");
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds < 0 || seconds > MAX_GRACE_SECONDS) {
                throw new NumberFormatException();
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new RejectedCommandException("malformed_parameters", "gracePeriodSeconds must be 0.."
                    + MAX_GRACE_SECONDS + ", was '" + value + "'");
        }
    }
}
