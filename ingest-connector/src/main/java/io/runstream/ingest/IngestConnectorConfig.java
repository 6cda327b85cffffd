package io.runstream.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.common.service.ServiceConfig;
import io.runstream.ingest.http.EndpointAuth;
import io.runstream.ingest.slack.SlackSettings;
import io.runstream.schemas.registry.SchemaSettings;

/**
 * Everything the ingest connector is configured with; defaults in {@code ingest-connector-defaults.yaml}.
 * An endpoint without authentication is allowed only while the connector listens on loopback (the launcher's
 * no-setup default): bound to any other address, every endpoint must have credentials, or the start fails.
 */
public record IngestConnectorConfig(KafkaSettings kafka, HttpSettings http, IngestSettings ingest,
        SlackSettings slack, SchemaSettings schemas)
        implements ServiceConfig<IngestConnectorConfig> {

    public static final String DEFAULTS = "ingest-connector-defaults.yaml";

    /** Without Slack interactivity. */
    public IngestConnectorConfig(KafkaSettings kafka, HttpSettings http, IngestSettings ingest) {
        this(kafka, http, ingest, SlackSettings.OFF, SchemaSettings.DEFAULTS);
    }

    /** In the default wire format, single-object encoding. */
    public IngestConnectorConfig(KafkaSettings kafka, HttpSettings http, IngestSettings ingest, SlackSettings slack) {
        this(kafka, http, ingest, slack, SchemaSettings.DEFAULTS);
    }

    public IngestConnectorConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(ingest, "ingest");
        slack = slack == null ? SlackSettings.OFF : slack;
        schemas = schemas == null ? SchemaSettings.DEFAULTS : schemas;
        List<String> open = openEndpoints(ingest.auth());
        if (!open.isEmpty() && !isLoopback(http.host())) {
            throw new IllegalArgumentException("http.host is " + http.host() + ", beyond loopback, but "
                    + String.join(", ", open) + " " + (open.size() == 1 ? "has" : "have")
                    + " no authentication: set type bearer or basic with credentials (or listen on 127.0.0.1)");
        }
    }

    @Override
    public IngestConnectorConfig withKafka(KafkaSettings newKafka) {
        return new IngestConnectorConfig(newKafka, http, ingest, slack, schemas);
    }

    @Override
    public IngestConnectorConfig withHttp(HttpSettings newHttp) {
        return new IngestConnectorConfig(kafka, newHttp, ingest, slack, schemas);
    }

    private static List<String> openEndpoints(IngestSettings.Auth auth) {
        Map<String, EndpointAuth> byKey = new java.util.LinkedHashMap<>();
        byKey.put("ingest.auth.alertmanager", auth.alertmanager());
        byKey.put("ingest.auth.remoteWrite", auth.remoteWrite());
        byKey.put("ingest.auth.drift", auth.drift());
        byKey.put("ingest.auth.pagerduty", auth.pagerduty());
        List<String> open = new ArrayList<>();
        byKey.forEach((key, endpointAuth) -> {
            if ("none".equals(endpointAuth.type())) {
                open.add(key);
            }
        });
        return open;
    }

    /** A literal loopback address or localhost; no name is resolved here. */
    static boolean isLoopback(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }
}
