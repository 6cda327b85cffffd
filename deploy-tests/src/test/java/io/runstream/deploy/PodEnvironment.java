package io.runstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

/**
 * The environment a container of the manifests gets, resolved as the kubelet resolves it: envFrom ConfigMaps,
 * then env entries (values with {@code $(VAR)} references to earlier ones, Secret keys, the pod's name). A value
 * that is a path under a ConfigMap volume's mount becomes that ConfigMap entry, written to a local directory.
 * A reference to a ConfigMap, Secret or key the manifests do not define fails.
 */
final class PodEnvironment {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private PodEnvironment() {
    }

    static Map<String, String> of(KubernetesManifests manifests, PodSpec pod, Container container, String podName,
            Path filesDirectory) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            environment.putAll(manifests.get(ConfigMap.class, source.getConfigMapRef().getName()).getData());
        }
        for (EnvVar variable : container.getEnv()) {
            environment.put(variable.getName(), value(manifests, variable, environment, podName));
        }
        environment.replaceAll((name, value) -> localFile(manifests, pod, container, value, filesDirectory));
        return environment;
    }

    private static String value(KubernetesManifests manifests, EnvVar variable, Map<String, String> earlier,
            String podName) {
        if (variable.getValueFrom() == null) {
            Matcher references = REFERENCE.matcher(variable.getValue());
            StringBuilder expanded = new StringBuilder();
            while (references.find()) {
                String name = references.group(1);
                if (!earlier.containsKey(name)) {
                    throw new AssertionError(variable.getName() + " refers to $(" + name + "), not defined before it");
                }
                references.appendReplacement(expanded, Matcher.quoteReplacement(earlier.get(name)));
            }
            return references.appendTail(expanded).toString();
        }
        if (variable.getValueFrom().getSecretKeyRef() != null) {
            var reference = variable.getValueFrom().getSecretKeyRef();
            Secret secret = manifests.get(Secret.class, reference.getName());
            String value = secret.getStringData() == null ? null : secret.getStringData().get(reference.getKey());
            if (value == null) {
                throw new AssertionError("secret " + reference.getName() + " has no key " + reference.getKey());
            }
            return value;
        }
        if (variable.getValueFrom().getFieldRef() != null
                && "metadata.name".equals(variable.getValueFrom().getFieldRef().getFieldPath())) {
            return podName;
        }
        throw new AssertionError("unsupported valueFrom of " + variable.getName());
    }

    private static String localFile(KubernetesManifests manifests, PodSpec pod, Container container, String value,
            Path filesDirectory) {
        for (VolumeMount mount : container.getVolumeMounts()) {
            if (!value.startsWith(mount.getMountPath() + "/")) {
                continue;
            }
            String path = value.substring(mount.getMountPath().length() + 1);
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElse(null);
            if (volume == null || volume.getConfigMap() == null) {
                return value;
            }
            ConfigMap configMap = manifests.get(ConfigMap.class, volume.getConfigMap().getName());
            String key = volume.getConfigMap().getItems().stream().filter(item -> item.getPath().equals(path))
                    .map(KeyToPath::getKey).findFirst()
                    .orElseThrow(() -> new AssertionError(value + " is not an item of volume " + volume.getName()));
            String content = configMap.getData().get(key);
            if (content == null) {
                throw new AssertionError("configmap " + configMap.getMetadata().getName() + " has no key " + key);
            }
            try {
                return Files.writeString(filesDirectory.resolve(key), content).toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return value;
    }
}
