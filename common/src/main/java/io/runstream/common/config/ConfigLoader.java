package io.runstream.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Loads a service's typed configuration: the service's defaults (a YAML resource), then the user's
 * YAML file on top, then environment variables on top of that. An environment variable's name is
 * {@code RUNSTREAM_} followed by the key path in upper snake case: {@code kafka.bootstrapServers} is
 * {@code RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS}. Unknown keys, wrong types and values the record's own
 * validation refuses all fail with a {@link ConfigException} naming the key and the value.
 * A scalar key can also be read from a file, as Docker and Kubernetes mount secrets: {@code
 * RUNSTREAM_API_WRITE_TOKEN_FILE=/run/secrets/api_write_token} sets {@code api.writeToken} to that file's content
 * (without its trailing line break), unless {@code RUNSTREAM_API_WRITE_TOKEN} itself is set.
 */
public final class ConfigLoader {

    public static final String ENV_PREFIX = "RUNSTREAM_";
    /** Appended to a scalar key's variable name: the variable names a file holding the value. */
    public static final String FILE_SUFFIX = "_FILE";

    private final ObjectMapper yaml;

    public ConfigLoader() {
        SimpleModule durations = new SimpleModule("runstream-durations");
        durations.addDeserializer(Duration.class, new DurationDeserializer());
        this.yaml = new ObjectMapper(new YAMLFactory())
                .registerModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    }

    /**
     * @param type           the service's configuration record
     * @param defaults       classpath resource with every key's default
     * @param userFile       the user's file, or null for defaults only
     * @param environment    usually {@code System.getenv()}
     */
    public <T> T load(Class<T> type, String defaults, Path userFile, Map<String, String> environment) {
        ObjectNode tree = readDefaults(defaults);
        if (userFile != null) {
            merge(tree, readFile(userFile));
        }
        applyEnvironment(tree, type, "", environment);
        try {
            return yaml.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe(e, userFile), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid configuration: " + e.getMessage(), e);
        }
    }

    private ObjectNode readDefaults(String resource) {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("default configuration " + resource + " is not on the classpath");
            }
            return (ObjectNode) yaml.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("default configuration " + resource + " is unreadable", e);
        }
    }

    private ObjectNode readFile(Path file) {
        try {
            JsonNode node = yaml.readTree(Files.readString(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return yaml.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("configuration file " + file + " must be a YAML mapping of keys to values");
            }
            return (ObjectNode) node;
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new ConfigException("configuration file " + file + " is not valid YAML at line "
                    + line(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("configuration file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void merge(ObjectNode target, ObjectNode overrides) {
        for (Map.Entry<String, JsonNode> field : overrides.properties()) {
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode overrideObject
                    && !existingObject.isEmpty()) {
                merge(existingObject, overrideObject);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private void applyEnvironment(ObjectNode tree, Class<?> type, String path, Map<String, String> environment) {
        if (!type.isRecord()) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String key = component.getName();
            String envName = ENV_PREFIX + (path.isEmpty() ? "" : path + "_") + upperSnake(key);
            Class<?> componentType = component.getType();
            if (componentType.isRecord()) {
                JsonNode child = tree.get(key);
                boolean overridden = environment.keySet().stream().anyMatch(name -> name.startsWith(envName + "_"));
                if (child instanceof ObjectNode || overridden) {
                    ObjectNode childObject = child instanceof ObjectNode object ? object : tree.putObject(key);
                    applyEnvironment(childObject, componentType, envName.substring(ENV_PREFIX.length()), environment);
                }
            } else if (Map.class.isAssignableFrom(componentType)
                    && component.getGenericType() instanceof ParameterizedType) {
                applyMapEnvironment(tree, key, envName + "_", environment);
            } else if (environment.containsKey(envName)) {
                tree.put(key, environment.get(envName));
            } else if (environment.containsKey(envName + FILE_SUFFIX) && !isComponentVariable(type, path,
                    envName + FILE_SUFFIX)) {
                tree.put(key, readValueFile(envName + FILE_SUFFIX, environment.get(envName + FILE_SUFFIX)));
            }
        }
    }

    /** The content of a secret file named by a _FILE variable; the message never shows the content. */
    private static String readValueFile(String variable, String file) {
        try {
            return Files.readString(Path.of(file)).replaceFirst("\\R\\z", "");
        } catch (IOException e) {
            throw new ConfigException(variable + " names " + file + ", which cannot be read: " + e);
        }
    }

    /** Whether a record component of {@code type} itself is set by {@code variable} (e.g. rulesFile). */
    private static boolean isComponentVariable(Class<?> type, String path, String variable) {
        for (RecordComponent component : type.getRecordComponents()) {
            if (variable.equals(ENV_PREFIX + (path.isEmpty() ? "" : path + "_") + upperSnake(component.getName()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code variable} sets a configuration key of {@code type}: a scalar key's variable or its
     * {@value #FILE_SUFFIX} form, or an entry of a map key (e.g. RUNSTREAM_KAFKA_CLIENT_SECURITY_PROTOCOL).
     * Variables that set nothing are otherwise ignored, so deployment files are checked with this.
     */
    public static boolean setsKeyOf(Class<?> type, String variable) {
        return setsKeyOf(type, "", variable);
    }

    private static boolean setsKeyOf(Class<?> type, String path, String variable) {
        for (RecordComponent component : type.getRecordComponents()) {
            String envName = ENV_PREFIX + (path.isEmpty() ? "" : path + "_") + upperSnake(component.getName());
            Class<?> componentType = component.getType();
            if (componentType.isRecord()) {
                if (variable.startsWith(envName + "_")
                        && setsKeyOf(componentType, envName.substring(ENV_PREFIX.length()), variable)) {
                    return true;
                }
            } else if (Map.class.isAssignableFrom(componentType)) {
                if (variable.startsWith(envName + "_") && variable.length() > envName.length() + 1) {
                    return true;
                }
            } else if (variable.equals(envName) || variable.equals(envName + FILE_SUFFIX)) {
                return true;
            }
        }
        return false;
    }

    /** Map keys come from the variable name: RUNSTREAM_KAFKA_CLIENT_SECURITY_PROTOCOL sets client.security.protocol. */
    private static void applyMapEnvironment(ObjectNode tree, String key, String envPrefix, Map<String, String> env) {
        env.forEach((name, value) -> {
            if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
                JsonNode existing = tree.get(key);
                ObjectNode map = existing instanceof ObjectNode object ? object : tree.putObject(key);
                map.put(name.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
    }

    static String upperSnake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static String describe(JsonProcessingException e, Path userFile) {
        String key = e instanceof JsonMappingException mapping ? keyPath(mapping) : "?";
        String source = userFile == null ? "" : " (defaults overlaid with " + userFile + " and RUNSTREAM_* variables)";
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown configuration key '" + key + "'" + source + "; known keys here: "
                    + unknown.getKnownPropertyIds();
        }
        if (e instanceof ValueInstantiationException instantiation && instantiation.getCause() != null) {
            return "invalid configuration at '" + key + "': " + instantiation.getCause().getMessage() + source;
        }
        return "invalid value for configuration key '" + key + "': " + e.getOriginalMessage() + source;
    }

    private static String keyPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(root)" : path.toString();
    }

    private static String line(JsonLocation location) {
        return location == null ? "?" : Integer.toString(location.getLineNr());
    }

    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            try {
                return DurationParser.parse(text);
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, e.getMessage(), e);
            }
        }
    }
}
