package io.runstream.schemas.registry;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Which wire format a deployment writes ({@code schemas.format}) and, for {@code confluent}, the schema registry
 * it registers with ({@code schemas.registry}). Every service of a deployment must use the same settings; readers
 * accept both formats either way, so a topic can move from one to the other without a stop.
 */
public record SchemaSettings(String format, Registry registry) {

    public static final String SINGLE_OBJECT = "single-object";
    public static final String CONFLUENT = "confluent";
    public static final SchemaSettings DEFAULTS = new SchemaSettings(SINGLE_OBJECT, null);

    public SchemaSettings {
        format = format == null || format.isBlank() ? SINGLE_OBJECT : format.trim();
        if (!format.equals(SINGLE_OBJECT) && !format.equals(CONFLUENT)) {
            throw new IllegalArgumentException("schemas.format must be single-object or confluent, was '" + format
                    + "'");
        }
        if (registry != null && registry.url().isEmpty()) {
            registry = null;
        }
        if (format.equals(CONFLUENT) && registry == null) {
            throw new IllegalArgumentException("schemas.format confluent needs schemas.registry.url, e.g. "
                    + "http://schema-registry:8080/apis/ccompat/v7");
        }
    }

    public boolean confluent() {
        return format.equals(CONFLUENT);
    }

    /** For tests and the launcher: Confluent framing with the registry at {@code url}, auto-registering. */
    public static SchemaSettings confluent(String url) {
        return new SchemaSettings(CONFLUENT, new Registry(url, true, null, null, null, null, null, null, null));
    }

    /**
     * A Confluent-compatible schema registry (Confluent Schema Registry, Apicurio's {@code /apis/ccompat/v7},
     * Karapace).
     *
     * @param url                 base URL of the Confluent API, e.g. {@code https://registry:8080/apis/ccompat/v7}
     * @param autoRegister        register Runstream's schemas at start; false: they must be registered already
     * @param username            basic auth user (with {@code password}); empty: no basic auth
     * @param password            basic auth password
     * @param bearerToken         {@code Authorization: Bearer} token; not together with basic auth
     * @param trustStore          PKCS12 or JKS trust store for an https URL; empty: the JVM's default trust
     * @param trustStorePassword  its password
     * @param trustStoreType      PKCS12 (default) or JKS
     * @param timeout             each registry call's timeout (connect and answer)
     */
    public record Registry(String url, Boolean autoRegister, String username, String password, String bearerToken,
            Path trustStore, String trustStorePassword, String trustStoreType, Duration timeout) {

        public Registry {
            url = url == null ? "" : url.trim();
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            if (!url.isEmpty() && !url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException("schemas.registry.url must be an http:// or https:// URL, was '"
                        + url + "'");
            }
            autoRegister = autoRegister == null || autoRegister;
            username = blankToNull(username);
            password = blankToNull(password);
            bearerToken = blankToNull(bearerToken);
            if (username != null && bearerToken != null) {
                throw new IllegalArgumentException("schemas.registry: set username/password or bearerToken, not both");
            }
            if (username == null && password != null) {
                throw new IllegalArgumentException("schemas.registry.password is set without schemas.registry.username");
            }
            if (trustStore != null && trustStore.toString().isBlank()) {
                trustStore = null;
            }
            trustStoreType = trustStoreType == null || trustStoreType.isBlank() ? "PKCS12" : trustStoreType;
            timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("schemas.registry.timeout must be positive, was " + timeout);
            }
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }

        /** Secrets are never shown, so the settings can be logged. */
        @Override
        public String toString() {
            return "Registry[url=" + url + ", autoRegister=" + autoRegister + ", username=" + username
                    + ", password=" + (password == null ? "none" : "***") + ", bearerToken="
                    + (bearerToken == null ? "none" : "***") + ", trustStore=" + trustStore + ", timeout=" + timeout
                    + "]";
        }
    }
}
