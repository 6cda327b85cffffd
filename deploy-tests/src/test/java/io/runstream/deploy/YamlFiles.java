package io.runstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/** A repository YAML file (Prometheus, Alertmanager, Grafana provisioning) as maps and lists. */
final class YamlFiles {

    private YamlFiles() {
    }

    static Map<String, Object> read(Path file) {
        try {
            return YamlMaps.map(new Yaml().load(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value at a path of keys and list indexes, e.g. {@code at(config, "remote_write", 0, "url")}. */
    static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (step instanceof Integer index) {
                current = YamlMaps.list(current).get(index);
            } else {
                current = YamlMaps.map(current).get(step.toString());
            }
            if (current == null) {
                throw new IllegalArgumentException("nothing at " + java.util.Arrays.toString(path));
            }
        }
        return current;
    }
}
