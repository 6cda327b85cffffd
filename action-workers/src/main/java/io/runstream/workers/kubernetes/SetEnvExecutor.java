package io.runstream.workers.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.workers.RejectedCommandException;

/**
 * SET_ENV, as {@code kubectl set env}: {@code env.NAME=value} sets, {@code unset=NAME,OTHER} removes, on the
 * target's container (or the first). Before/after keys are {@code env.NAME} with {@code <unset>} for absent.
 */
public final class SetEnvExecutor extends TemplateChange {

    static final String UNSET = "<unset>";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    public SetEnvExecutor(KubernetesCalls calls) {
        super(calls);
    }

    @Override
    public ActionType type() {
        return ActionType.SET_ENV;
    }

    @Override
    protected Plan plan(ActionCommand command, HasMetadata workload, PodTemplateSpec template) {
        Map<String, String> wanted = wanted(command.getParameters());
        Container container = container(command.getTarget(), template);
        if (container.getEnv() == null) {
            container.setEnv(new ArrayList<>());
        }
        Map<String, String> before = new LinkedHashMap<>();
        wanted.keySet().forEach(name -> before.put("env." + name, current(container.getEnv(), name)));
        Map<String, String> after = new LinkedHashMap<>();
        wanted.forEach((name, value) -> after.put("env." + name, value));
        return new Plan(before, after, () -> apply(container.getEnv(), wanted),
                "set env " + after + " on " + workload.getMetadata().getName() + "/" + container.getName());
    }

    private static Map<String, String> wanted(Map<String, String> parameters) {
        Map<String, String> wanted = new LinkedHashMap<>();
        parameters.forEach((key, value) -> {
            if (key.startsWith("env.")) {
                wanted.put(validName(key.substring(4)), value);
            } else if (key.equals("unset")) {
                for (String name : value.split(",")) {
                    wanted.put(validName(name.trim()), UNSET);
                }
            } else {
                throw new RejectedCommandException("malformed_parameters",
                        "SET_ENV takes env.NAME=value and unset=NAME,..., not " + key);
            }
        });
        if (wanted.isEmpty()) {
            throw new RejectedCommandException("malformed_parameters", "SET_ENV needs at least one env.NAME or unset");
        }
        return wanted;
    }

    private static String validName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new RejectedCommandException("malformed_parameters", "not an environment variable name: '" + name
                    + "'");
        }
        return name;
    }

    private static String current(List<EnvVar> env, String name) {
        return env.stream().filter(e -> e.getName().equals(name)).findFirst()
                .map(e -> e.getValue() == null ? "" : e.getValue()).orElse(UNSET);
    }

    private static void apply(List<EnvVar> env, Map<String, String> wanted) {
        wanted.forEach((name, value) -> {
            env.removeIf(e -> e.getName().equals(name));
            if (!UNSET.equals(value)) {
                env.add(new EnvVar(name, value, null));
            }
        });
    }
}
