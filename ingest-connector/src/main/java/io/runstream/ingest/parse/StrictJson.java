package io.runstream.ingest.parse;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a JSON body into a tree under hard limits (nesting depth, duplicate keys refused) and gives typed
 * accessors that name the offending field by its path. Validation is by hand rather than by data binding
 * so that every error says exactly which field was wrong and why.
 */
public final class StrictJson {

    private final ObjectMapper mapper;

    public StrictJson(int maxNestingDepth) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxNestingDepth)
                        .maxStringLength(1_000_000)
                        .maxNumberLength(100)
                        .build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The body as a JSON object; anything else (empty, malformed, too deep, an array) is rejected. */
    public Obj readObject(byte[] body) throws RejectedInput {
        if (body.length == 0) {
            throw RejectedInput.invalid("empty_body", "the request body is empty", null);
        }
        JsonNode tree;
        try (JsonParser parser = mapper.createParser(body)) {
            tree = mapper.readTree(parser);
        } catch (StreamConstraintsException e) {
            // Nesting, or the length of one string, number or name: each limit has its own reason.
            boolean nesting = String.valueOf(e.getOriginalMessage()).contains("nesting depth");
            throw RejectedInput.invalid(nesting ? "too_deep" : "value_too_long", "JSON exceeds a limit: "
                    + e.getOriginalMessage(), null);
        } catch (JsonProcessingException e) {
            throw RejectedInput.invalid("malformed_json", "malformed JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw RejectedInput.invalid("malformed_json", "unreadable JSON: " + e.getMessage(), null);
        }
        if (tree == null || tree.isMissingNode()) {
            throw RejectedInput.invalid("empty_body", "the request body holds no JSON value", null);
        }
        return new Obj(tree, "");
    }

    /** A JSON object at a path, with typed, path-naming accessors. */
    public static final class Obj {
        private final JsonNode node;
        private final String path;

        Obj(JsonNode node, String path) throws RejectedInput {
            if (!node.isObject()) {
                throw RejectedInput.invalid("wrong_type", "expected a JSON object but got " + describe(node),
                        path.isEmpty() ? null : path);
            }
            this.node = node;
            this.path = path;
        }

        public String path(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        public boolean has(String name) {
            JsonNode value = node.get(name);
            return value != null && !value.isNull();
        }

        public String requiredString(String name) throws RejectedInput {
            JsonNode value = required(name);
            if (!value.isTextual()) {
                throw wrongType(name, "a string", value);
            }
            return value.textValue();
        }

        public String requiredNonBlank(String name) throws RejectedInput {
            String value = requiredString(name);
            if (value.isBlank()) {
                throw RejectedInput.invalid("invalid_value", "must not be blank", path(name));
            }
            return value;
        }

        public String optionalString(String name) throws RejectedInput {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isTextual()) {
                throw wrongType(name, "a string", value);
            }
            return value.textValue();
        }

        public boolean requiredBoolean(String name) throws RejectedInput {
            JsonNode value = required(name);
            if (!value.isBoolean()) {
                throw wrongType(name, "true or false", value);
            }
            return value.booleanValue();
        }

        public int optionalInt(String name, int fallback) throws RejectedInput {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw wrongType(name, "an integer", value);
            }
            return value.intValue();
        }

        public double requiredFraction(String name) throws RejectedInput {
            Double value = optionalFraction(name);
            if (value == null) {
                throw missing(name);
            }
            return value;
        }

        /** A number in 0..1, or null when absent. */
        public Double optionalFraction(String name) throws RejectedInput {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isNumber()) {
                throw wrongType(name, "a number", value);
            }
            double number = value.doubleValue();
            if (!(number >= 0.0 && number <= 1.0)) {
                throw RejectedInput.invalid("invalid_value", "must be between 0 and 1 but is " + value.asText(),
                        path(name));
            }
            return number;
        }

        /** An RFC 3339 timestamp ({@code 2026-11-22T18:55:00.123Z}, offsets allowed). */
        public Instant requiredTimestamp(String name) throws RejectedInput {
            return timestamp(name, requiredString(name));
        }

        public Instant optionalTimestamp(String name) throws RejectedInput {
            String text = optionalString(name);
            return text == null ? null : timestamp(name, text);
        }

        private Instant timestamp(String name, String text) throws RejectedInput {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw RejectedInput.invalid("invalid_timestamp",
                        "not an RFC 3339 timestamp: \"" + abbreviate(text) + "\"", path(name));
            }
        }

        public Obj requiredObject(String name) throws RejectedInput {
            return new Obj(required(name), path(name));
        }

        public Obj optionalObject(String name) throws RejectedInput {
            JsonNode value = node.get(name);
            return value == null || value.isNull() ? null : new Obj(value, path(name));
        }

        /** The elements of a required array, each required to be an object. */
        public java.util.List<Obj> requiredObjects(String name) throws RejectedInput {
            JsonNode value = required(name);
            if (!value.isArray()) {
                throw wrongType(name, "an array", value);
            }
            java.util.List<Obj> items = new java.util.ArrayList<>(value.size());
            for (int i = 0; i < value.size(); i++) {
                items.add(new Obj(value.get(i), path(name) + "[" + i + "]"));
            }
            return items;
        }

        /** A map of string to string (labels, annotations); absent means empty. */
        public Map<String, String> stringMap(String name) throws RejectedInput {
            JsonNode value = node.get(name);
            Map<String, String> map = new LinkedHashMap<>();
            if (value == null || value.isNull()) {
                return map;
            }
            if (!value.isObject()) {
                throw wrongType(name, "an object of strings", value);
            }
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                if (!entry.getValue().isTextual()) {
                    throw RejectedInput.invalid("wrong_type", "expected a string but got "
                            + describe(entry.getValue()), path(name) + "." + entry.getKey());
                }
                map.put(entry.getKey(), entry.getValue().textValue());
            }
            return map;
        }

        /** A map of string to number; absent means empty. */
        public Map<String, Double> numberMap(String name) throws RejectedInput {
            JsonNode value = node.get(name);
            Map<String, Double> map = new LinkedHashMap<>();
            if (value == null || value.isNull()) {
                return map;
            }
            if (!value.isObject()) {
                throw wrongType(name, "an object of numbers", value);
            }
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                if (!entry.getValue().isNumber()) {
                    throw RejectedInput.invalid("wrong_type", "expected a number but got "
                            + describe(entry.getValue()), path(name) + "." + entry.getKey());
                }
                map.put(entry.getKey(), entry.getValue().doubleValue());
            }
            return map;
        }

        private JsonNode required(String name) throws RejectedInput {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                throw missing(name);
            }
            return value;
        }

        private RejectedInput missing(String name) {
            return RejectedInput.invalid("missing_field", "required field is missing", path(name));
        }

        private RejectedInput wrongType(String name, String expected, JsonNode actual) {
            return RejectedInput.invalid("wrong_type", "expected " + expected + " but got " + describe(actual),
                    path(name));
        }
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
