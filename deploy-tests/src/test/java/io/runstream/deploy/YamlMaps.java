package io.runstream.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading parsed YAML (maps, lists, scalars) with string keys, as deployment files have them. */
final class YamlMaps {

    private YamlMaps() {
    }

    static Map<String, Object> strings(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), value));
        return copy;
    }

    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? strings(map) : Map.of();
    }

    static List<Object> list(Object value) {
        if (value instanceof List<?> list) {
            return List.copyOf(list);
        }
        return value == null ? List.of() : List.of(value);
    }

    /** A scalar as a string (YAML's 8081 and "8081" alike), or null. */
    static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
