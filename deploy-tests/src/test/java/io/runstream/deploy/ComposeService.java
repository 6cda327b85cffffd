package io.runstream.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One service of docker-compose.yml, read the way Compose reads it (short syntax for volumes and ports). */
record ComposeService(String name, Map<String, Object> definition, Path projectDirectory) {

    /** A mount: a host path (starting with . or /) or a named volume, and where it appears in the container. */
    record Mount(String source, String target, boolean readOnly) {
        boolean isHostPath() {
            return source.startsWith(".") || source.startsWith("/");
        }
    }

    /** A published port: host port to container port. */
    record Port(int published, int container) {
    }

    Optional<String> image() {
        return Optional.ofNullable(YamlMaps.text(definition.get("image")));
    }

    /** The Dockerfile this service is built from, if it is built. */
    Optional<Path> dockerfile() {
        Map<String, Object> build = YamlMaps.map(definition.get("build"));
        if (build.isEmpty()) {
            return Optional.empty();
        }
        Path context = projectDirectory.resolve(String.valueOf(build.getOrDefault("context", "."))).normalize();
        return Optional.of(context.resolve(String.valueOf(build.getOrDefault("dockerfile", "Dockerfile"))));
    }

    List<String> command() {
        return YamlMaps.list(definition.get("command")).stream().map(String::valueOf).toList();
    }

    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        YamlMaps.map(definition.get("environment")).forEach((key, value) -> environment.put(key, YamlMaps.text(value)));
        return environment;
    }

    List<Mount> volumes() {
        List<Mount> mounts = new ArrayList<>();
        for (Object volume : YamlMaps.list(definition.get("volumes"))) {
            String[] parts = String.valueOf(volume).split(":");
            mounts.add(new Mount(parts[0], parts[1], parts.length > 2 && parts[2].contains("ro")));
        }
        return mounts;
    }

    /** The host path of a bind mount, resolved against the project directory. */
    Path hostPath(Mount mount) {
        return projectDirectory.resolve(mount.source()).normalize();
    }

    List<String> secrets() {
        return YamlMaps.list(definition.get("secrets")).stream().map(String::valueOf).toList();
    }

    List<String> dependsOn() {
        Object dependsOn = definition.get("depends_on");
        if (dependsOn instanceof Map<?, ?> map) {
            return map.keySet().stream().map(String::valueOf).toList();
        }
        return YamlMaps.list(dependsOn).stream().map(String::valueOf).toList();
    }

    List<Port> ports() {
        return YamlMaps.list(definition.get("ports")).stream().map(String::valueOf).map(port -> {
            String[] parts = port.split(":");
            return new Port(Integer.parseInt(parts[parts.length - 2]), Integer.parseInt(parts[parts.length - 1]));
        }).toList();
    }
}
