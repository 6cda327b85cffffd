package io.runstream.workers.kubernetes;

import java.util.HashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.workers.RejectedCommandException;

/** ROLLOUT_RESTART, as {@code kubectl rollout restart}: stamps the pod template's restartedAt annotation. */
public final class RolloutRestartExecutor extends TemplateChange {

    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

    public RolloutRestartExecutor(KubernetesCalls calls) {
        super(calls);
    }

    @Override
    public ActionType type() {
        return ActionType.ROLLOUT_RESTART;
    }

    @Override
    protected Plan plan(ActionCommand command, HasMetadata workload, PodTemplateSpec template) {
        if (!command.getParameters().isEmpty()) {
            throw new RejectedCommandException("malformed_parameters", "ROLLOUT_RESTART takes no parameters, got "
                    + command.getParameters().keySet());
        }
        if (template.getMetadata().getAnnotations() == null) {
            template.getMetadata().setAnnotations(new HashMap<>());
        }
        String previous = template.getMetadata().getAnnotations().getOrDefault(RESTARTED_AT, "never");
        String now = calls.clock().instant().toString();
        return new Plan(Map.of("restartedAt", previous), Map.of("restartedAt", now),
                () -> template.getMetadata().getAnnotations().put(RESTARTED_AT, now),
                "restart " + workload.getKind() + " " + workload.getMetadata().getName());
    }
}
