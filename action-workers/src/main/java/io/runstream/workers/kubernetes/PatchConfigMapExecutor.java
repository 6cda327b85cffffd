package io.runstream.workers.kubernetes;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.Execution;
import io.runstream.workers.RejectedCommandException;

/**
 * PATCH_CONFIGMAP: {@code data.KEY=value} sets a key, {@code remove=KEY,OTHER} removes keys, like
 * {@code kubectl patch configmap}. Before/after keys are {@code data.KEY}, {@code <unset>} for absent. The
 * command-id marker goes on the ConfigMap's annotations in the same write.
 */
public final class PatchConfigMapExecutor implements ActionExecutor {

    private static final String RESOURCE = "configmaps";
    // the API server's rule for ConfigMap keys
    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

    private final KubernetesCalls calls;

    public PatchConfigMapExecutor(KubernetesCalls calls) {
        this.calls = calls;
    }

    @Override
    public ActionType type() {
        return ActionType.PATCH_CONFIGMAP;
    }

    @Override
    public Execution execute(ActionCommand command, boolean dryRun) {
        ActionTarget target = command.getTarget();
        if (!"ConfigMap".equals(target.getKind())) {
            throw new RejectedCommandException("unsupported_kind", "PATCH_CONFIGMAP needs a ConfigMap target, was "
                    + target.getKind());
        }
        Workloads.requireNamespace(target);
        Map<String, String> wanted = wanted(command.getParameters());
        return calls.withRetries(command, () -> attempt(command, wanted, dryRun));
    }

    private Execution attempt(ActionCommand command, Map<String, String> wanted, boolean dryRun) {
        ActionTarget target = command.getTarget();
        String ns = target.getNamespace();
        ConfigMap map = calls.call("get", RESOURCE, ns,
                () -> calls.client().configMaps().inNamespace(ns).withName(target.getName()).get());
        if (map == null) {
            throw KubernetesCalls.ApiFailure.notFound(RESOURCE, ns, target.getName());
        }
        Map<String, String> data = map.getData() == null ? new HashMap<>() : new HashMap<>(map.getData());
        Map<String, String> before = new LinkedHashMap<>();
        wanted.keySet().forEach(key -> before.put("data." + key, data.getOrDefault(key, SetEnvExecutor.UNSET)));
        Map<String, String> after = new LinkedHashMap<>();
        wanted.forEach((key, value) -> after.put("data." + key, value));
        String what = "patch ConfigMap " + ns + "/" + target.getName() + " " + after.keySet();
        if (command.getCommandId().equals(Workloads.marker(map))) {
            return Execution.alreadyApplied("this command already applied: " + what, before);
        }
        if (before.equals(after)) {
            return Execution.alreadyApplied("already in place: " + what, before);
        }
        wanted.forEach((key, value) -> {
            if (SetEnvExecutor.UNSET.equals(value)) {
                data.remove(key);
            } else {
                data.put(key, value);
            }
        });
        map.setData(data);
        if (map.getMetadata().getAnnotations() == null) {
            map.getMetadata().setAnnotations(new HashMap<>());
        }
        map.getMetadata().getAnnotations().put(KubernetesCalls.MARKER, command.getCommandId());
        Workloads.update(calls, map, RESOURCE, dryRun);
        return dryRun ? Execution.dryRun("would " + what, before, after) : Execution.succeeded(what, before, after);
    }

    private static Map<String, String> wanted(Map<String, String> parameters) {
        Map<String, String> wanted = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            if (name.startsWith("data.")) {
                wanted.put(validKey(name.substring(5)), value);
            } else if (name.equals("remove")) {
                for (String key : value.split(",")) {
                    wanted.put(validKey(key.trim()), SetEnvExecutor.UNSET);
                }
            } else {
                throw new RejectedCommandException("malformed_parameters",
                        "PATCH_CONFIGMAP takes data.KEY=value and remove=KEY,..., not " + name);
            }
        });
        if (wanted.isEmpty()) {
            throw new RejectedCommandException("malformed_parameters",
                    "PATCH_CONFIGMAP needs at least one data.KEY or remove");
        }
        return wanted;
    }

    private static String validKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new RejectedCommandException("malformed_parameters", "not a ConfigMap key: '" + key + "'");
        }
        return key;
    }
}
