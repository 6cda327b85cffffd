package io.runstream.processor.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import io.runstream.common.config.DurationParser;

/**
 * A YAML mapping read with its source positions: typed getters that, instead of throwing, record a problem at
 * the offending node (unknown or duplicate key, wrong type, bad duration) and return empty, so one pass
 * reports every problem of the file.
 */
final class YamlSection {

    private final Node node;
    private final String path;
    private final YamlProblems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    private YamlSection(MappingNode node, String path, YamlProblems problems, Set<String> allowedKeys) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar)) {
                problems.add(keyNode, path, "keys must be plain names, found " + describe(keyNode));
                continue;
            }
            String key = scalar.getValue();
            if (!allowedKeys.contains(key)) {
                problems.add(keyNode, childPath(key), "unknown key '" + key + "' (expected one of "
                        + String.join(", ", new TreeSet<>(allowedKeys)) + ")");
            } else if (entries.containsKey(key)) {
                problems.add(keyNode, childPath(key), "duplicate key (first at line "
                        + (entries.get(key).getKeyNode().getStartMark().getLine() + 1) + ")");
            } else {
                entries.put(key, tuple);
            }
        }
    }

    /** The mapping at {@code node}, or empty (with a problem recorded) when the node is not a mapping. */
    static Optional<YamlSection> of(Node node, String path, YamlProblems problems, Set<String> allowedKeys) {
        if (node instanceof MappingNode mapping) {
            return Optional.of(new YamlSection(mapping, path, problems, allowedKeys));
        }
        problems.add(node, path, "expected a mapping of keys to values, found " + describe(node));
        return Optional.empty();
    }

    Node node() {
        return node;
    }

    String path() {
        return path;
    }

    YamlProblems problems() {
        return problems;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Optional<Node> value(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? Optional.empty() : Optional.of(tuple.getValueNode());
    }

    String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String message) {
        problems.add(value(key).orElse(node), childPath(key), message);
    }

    void requireAll(String... keys) {
        for (String key : keys) {
            if (!has(key)) {
                problems.add(node, childPath(key), "required but missing");
            }
        }
    }

    Optional<String> string(String key) {
        return value(key).flatMap(value -> scalar(value, childPath(key), "a string"));
    }

    Optional<Double> number(String key) {
        Optional<Node> value = value(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Node found = value.get();
        if (found instanceof ScalarNode scalar && (found.getTag().equals(Tag.INT) || found.getTag().equals(Tag.FLOAT))) {
            try {
                return Optional.of(Double.parseDouble(scalar.getValue()));
            } catch (NumberFormatException e) {
                // YAML 1.1 numbers Java does not read, e.g. 1_000 or 0x10: reported below like any non-number.
            }
        }
        problems.add(found, childPath(key), "expected a number, found " + describe(found));
        return Optional.empty();
    }

    Optional<Duration> duration(String key) {
        return string(key).flatMap(text -> {
            try {
                return Optional.of(DurationParser.parse(text));
            } catch (IllegalArgumentException e) {
                problem(key, "'" + text + "' is not a duration (use 30s, 5m, 1h)");
                return Optional.empty();
            }
        });
    }

    Optional<YamlSection> section(String key, Set<String> allowedKeys) {
        return value(key).flatMap(value -> of(value, childPath(key), problems, allowedKeys));
    }

    /** A mapping of names to strings, in file order; entries with a non-scalar value are reported and skipped. */
    Optional<Map<String, String>> stringMap(String key) {
        Optional<Node> value = value(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!(value.get() instanceof MappingNode mapping)) {
            problems.add(value.get(), childPath(key), "expected a mapping of names to values, found "
                    + describe(value.get()));
            return Optional.empty();
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Optional<String> name = scalar(tuple.getKeyNode(), childPath(key), "a name");
            if (name.isEmpty()) {
                continue;
            }
            String entryPath = childPath(key) + "." + name.get();
            if (result.containsKey(name.get())) {
                problems.add(tuple.getKeyNode(), entryPath, "duplicate key");
            }
            scalar(tuple.getValueNode(), entryPath, "a string").ifPresent(text -> result.put(name.get(), text));
        }
        return Optional.of(result);
    }

    /** A mapping of names to nodes, in file order, or empty (with a problem recorded) when it is not a mapping. */
    Optional<Map<String, Node>> nodeMap(String key) {
        Optional<Node> value = value(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!(value.get() instanceof MappingNode mapping)) {
            problems.add(value.get(), childPath(key), "expected a mapping of names to values, found "
                    + describe(value.get()));
            return Optional.empty();
        }
        Map<String, Node> result = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            scalar(tuple.getKeyNode(), childPath(key), "a name").ifPresent(name -> {
                if (result.putIfAbsent(name, tuple.getValueNode()) != null) {
                    problems.add(tuple.getKeyNode(), childPath(key) + "." + name, "duplicate key");
                }
            });
        }
        return Optional.of(result);
    }

    /** The items of a list, or empty (with a problem recorded) when the value is not a list. */
    Optional<List<Node>> list(String key) {
        Optional<Node> value = value(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get() instanceof SequenceNode sequence) {
            return Optional.of(sequence.getValue());
        }
        problems.add(value.get(), childPath(key), "expected a list, found " + describe(value.get()));
        return Optional.empty();
    }

    Optional<List<String>> stringList(String key) {
        return list(key).map(items -> {
            List<String> result = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                scalar(items.get(i), childPath(key) + "[" + i + "]", "a string").ifPresent(result::add);
            }
            return result;
        });
    }

    private Optional<String> scalar(Node value, String valuePath, String expected) {
        if (value instanceof ScalarNode scalar && !value.getTag().equals(Tag.NULL)) {
            return Optional.of(scalar.getValue());
        }
        problems.add(value, valuePath, "expected " + expected + ", found " + describe(value));
        return Optional.empty();
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof ScalarNode scalar) {
            Tag tag = node.getTag();
            if (tag.equals(Tag.NULL)) {
                return "nothing";
            }
            if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
                return "the number " + scalar.getValue();
            }
            if (tag.equals(Tag.BOOL)) {
                return "the boolean " + scalar.getValue();
            }
            return "the string '" + scalar.getValue() + "'";
        }
        return "an alias or anchor";
    }
}
