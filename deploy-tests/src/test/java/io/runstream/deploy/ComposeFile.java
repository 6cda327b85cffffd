package io.runstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as Compose reads it: YAML with anchors and merge keys resolved (SnakeYAML does both), its
 * services, and its file-based secrets. Relative paths are relative to the file's directory, as in Compose.
 */
final class ComposeFile {

    private final Path file;
    private final Map<String, Object> root;

    private ComposeFile(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    static ComposeFile load(Path file) {
        try {
            Map<String, Object> root = new Yaml().load(Files.readString(file));
            return new ComposeFile(file, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's own docker-compose.yml. */
    static ComposeFile repository() {
        return load(Repo.file("docker-compose.yml"));
    }

    Path projectDirectory() {
        return file.toAbsolutePath().getParent();
    }

    Set<String> serviceNames() {
        return section("services").keySet();
    }

    ComposeService service(String name) {
        Object definition = section("services").get(name);
        if (!(definition instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("docker-compose.yml has no service " + name);
        }
        return new ComposeService(name, YamlMaps.strings(map), projectDirectory());
    }

    /** Top-level secrets by name, each the host file it is read from. */
    Map<String, Path> secretFiles() {
        Map<String, Path> files = new LinkedHashMap<>();
        section("secrets").forEach((name, definition) -> {
            Object source = YamlMaps.strings((Map<?, ?>) definition).get("file");
            files.put(name, source == null ? null : projectDirectory().resolve(source.toString()).normalize());
        });
        return files;
    }

    Set<String> volumeNames() {
        return section("volumes").keySet();
    }

    private Map<String, Object> section(String key) {
        Object value = root.get(key);
        return value instanceof Map<?, ?> map ? YamlMaps.strings(map) : Map.of();
    }
}
