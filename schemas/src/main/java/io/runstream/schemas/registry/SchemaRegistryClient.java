package io.runstream.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalInt;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.avro.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The few calls of the Confluent Schema Registry REST API that Runstream makes (any compatible registry answers
 * them: Confluent's, Apicurio's {@code /apis/ccompat/v7}, Karapace), over the JDK's HTTP client. Thread-safe.
 * Every failure is a {@link SchemaRegistryException} naming the registry, the call and what it answered.
 */
public final class SchemaRegistryClient {

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int SCHEMA_NOT_FOUND = 40403;
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaSettings.Registry settings;
    private final HttpClient http;
    private final Optional<String> authorization;

    public SchemaRegistryClient(SchemaSettings.Registry settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.timeout());
        if (settings.trustStore() != null) {
            builder.sslContext(sslContext(settings));
        }
        this.http = builder.build();
        if (settings.bearerToken() != null) {
            authorization = Optional.of("Bearer " + settings.bearerToken());
        } else if (settings.username() != null) {
            String pair = settings.username() + ":" + (settings.password() == null ? "" : settings.password());
            authorization = Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else {
            authorization = Optional.empty();
        }
    }

    public String url() {
        return settings.url();
    }

    /** Registers {@code schema} under {@code subject} (a no-op answering the same id when it is there already). */
    public int register(String subject, Schema schema) {
        return call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema),
                "register a schema under subject " + subject).path("id").asInt();
    }

    /** The id of {@code schema} under {@code subject}; empty when the subject or that schema is not there. */
    public OptionalInt lookup(String subject, Schema schema) {
        try {
            return OptionalInt.of(call("POST", "/subjects/" + encode(subject), schemaBody(schema),
                    "look up a schema under subject " + subject).path("id").asInt());
        } catch (SchemaRegistryException e) {
            if (e.status() == 404) {
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    /** Whether the subject has at least one version. */
    public boolean subjectExists(String subject) {
        try {
            call("GET", "/subjects/" + encode(subject) + "/versions", null, "list the versions of subject " + subject);
            return true;
        } catch (SchemaRegistryException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The writer schema registered under {@code id}; a {@link SchemaRegistryException} with 404 when unknown. */
    public Schema schemaById(int id) {
        JsonNode answer = call("GET", "/schemas/ids/" + id, null, "fetch schema id " + id);
        return new Schema.Parser().parse(answer.path("schema").asText());
    }

    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        call("PUT", "/config/" + encode(subject), body.toString(), "set the compatibility of subject " + subject);
    }

    /** The subject's own compatibility level ({@code BACKWARD}, ...). */
    public String compatibility(String subject) {
        JsonNode answer = call("GET", "/config/" + encode(subject), null, "read the compatibility of subject "
                + subject);
        return answer.hasNonNull("compatibilityLevel") ? answer.path("compatibilityLevel").asText()
                : answer.path("compatibility").asText();
    }

    /** The registry's verdict on {@code schema} as the next version of {@code subject}, by its compatibility. */
    public boolean isCompatibleWithLatest(String subject, Schema schema) {
        return call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema),
                "test compatibility with subject " + subject).path("is_compatible").asBoolean();
    }

    private JsonNode call(String method, String path, String body, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url() + path))
                .timeout(settings.timeout()).header("Accept", CONTENT_TYPE + ", application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        authorization.ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry " + settings.url() + " unreachable: cannot " + what
                    + " (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while trying to " + what + " at " + settings.url(), e);
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            int errorCode = answer.path("error_code").asInt(0);
            String message = answer.path("message").asText(abbreviate(response.body()));
            throw new SchemaRegistryException("schema registry " + settings.url() + " refused to " + what + ": HTTP "
                    + response.statusCode() + (errorCode == 0 ? "" : " error_code " + errorCode) + ": " + message,
                    response.statusCode(), errorCode);
        }
        return answer;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    private static SSLContext sslContext(SchemaSettings.Registry settings) {
        try (InputStream in = Files.newInputStream(settings.trustStore())) {
            KeyStore trust = KeyStore.getInstance(settings.trustStoreType());
            char[] password = settings.trustStorePassword() == null ? null : settings.trustStorePassword().toCharArray();
            trust.load(in, password);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("schemas.registry.trustStore " + settings.trustStore()
                    + " cannot be loaded as " + settings.trustStoreType() + ": " + e.getMessage(), e);
        }
    }
}
