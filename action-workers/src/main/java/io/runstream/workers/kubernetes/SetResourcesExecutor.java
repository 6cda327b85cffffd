package io.runstream.workers.kubernetes;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.workers.RejectedCommandException;

/**
 * SET_RESOURCES, as {@code kubectl set resources}: {@code limits.memory=4Gi}, {@code requests.cpu=500m} ... on the
 * target's container (or the first). Before/after keys are the parameter names, {@code <unset>} for absent.
 */
public final class SetResourcesExecutor extends TemplateChange {

    private static final Set<String> KEYS = Set.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory",
            "limits.nvidia.com/gpu");

    public SetResourcesExecutor(KubernetesCalls calls) {
        super(calls);
    }

    @Override
    public ActionType type() {
        return ActionType.SET_RESOURCES;
    }

    @Override
    protected Plan plan(ActionCommand command, HasMetadata workload, PodTemplateSpec template) {
        Map<String, String> wanted = new LinkedHashMap<>();
        command.getParameters().forEach((key, value) -> {
            if (!KEYS.contains(key)) {
                throw new RejectedCommandException("malformed_parameters", "SET_RESOURCES takes " + KEYS + ", not "
                        + key);
            }
            try {
                Quantity.getAmountInBytes(new Quantity(value));
            } catch (RuntimeException e) {
                throw new RejectedCommandException("malformed_parameters", key + " is not a quantity: '" + value + "'");
            }
            wanted.put(key, value);
        });
        if (wanted.isEmpty()) {
            throw new RejectedCommandException("malformed_parameters", "SET_RESOURCES needs limits.* or requests.*");
        }
        Container container = container(command.getTarget(), template);
        if (container.getResources() == null) {
            container.setResources(new ResourceRequirements());
        }
        ResourceRequirements resources = container.getResources();
        Map<String, String> before = new LinkedHashMap<>();
        wanted.keySet().forEach(key -> before.put(key, current(resources, key)));
        return new Plan(before, wanted, () -> wanted.forEach((key, value) -> section(resources, key)
                .put(resourceName(key), new Quantity(value))),
                "set resources " + wanted + " on " + workload.getMetadata().getName() + "/" + container.getName());
    }

    private static String current(ResourceRequirements resources, String key) {
        Quantity quantity = section(resources, key).get(resourceName(key));
        return quantity == null ? SetEnvExecutor.UNSET : quantity.toString();
    }

    private static Map<String, Quantity> section(ResourceRequirements resources, String key) {
        if (key.startsWith("limits.")) {
            if (resources.getLimits() == null) {
                resources.setLimits(new HashMap<>());
            }
            return resources.getLimits();
        }
        if (resources.getRequests() == null) {
            resources.setRequests(new HashMap<>());
        }
        return resources.getRequests();
    }

    private static String resourceName(String key) {
        return key.substring(key.indexOf('.') + 1);
    }
}
