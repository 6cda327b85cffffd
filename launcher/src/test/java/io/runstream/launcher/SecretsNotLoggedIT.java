package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;

import io.runstream.common.service.RunstreamService;

/**
 * Every secret a deployment configures (ingest credentials of every endpoint, the API's write and read tokens, a
 * Kafka SASL password and trust store password, Slack and PagerDuty keys) is kept out of every log line the whole
 * stack writes while it starts, refuses requests with wrong credentials, serves one with the right credentials,
 * and stops; the Kafka clients' own configuration dumps included (logged at INFO here, though the launcher keeps
 * Kafka at WARN).
 */
class SecretsNotLoggedIT {

    private static final List<String> SECRETS = List.of("am-token-0f9e8d7c", "rw-token-1a2b3c4d",
            "drift-pass-5e6f7a8b", "pd-token-9c0d1e2f", "write-token-3a4b5c6d7e8f", "read-token-4b5c6d7e8f9a",
            "sasl-pass-6d7e8f9a0b", "trust-pass-7e8f9a0b1c", "slack-secret-8f9a0b1c2d", "pd-routing-9a0b1c2d3e",
            "xoxb-bot-token-0c1d2e3f4a", "slack-signing-1d2e3f4a5b");
    private static final String[] LOGGERS = {Logger.ROOT_LOGGER_NAME, "io.runstream", "org.apache.kafka",
        "org.eclipse.jetty"};

    private final SecretWatch watch = new SecretWatch();
    private final Map<String, Level> previousLevels = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void captureEveryLogLine() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        watch.setContext(context);
        watch.start();
        for (String name : LOGGERS) {
            Logger logger = context.getLogger(name);
            previousLevels.put(name, logger.getLevel());
            logger.setLevel(name.equals("io.runstream") ? Level.DEBUG : Level.INFO);
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(watch);
    }

    @AfterEach
    void stopCapturing() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(watch);
        previousLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    @Test
    void noSecretAppearsInAnyLogLineFromStartThroughRefusalsToShutdown() throws Exception {
        try (Stack stack = Stack.start(new StackOptions(null, null, 0, true), secretEnvironment())) {
            URI ingest = endpoint(stack, "ingest-connector", "alertmanager webhook");
            URI processor = endpoint(stack, "stream-processor", "incident API");
            await().atMost(Duration.ofSeconds(120)).until(() -> status(get(processor.resolve("/health/ready"), null)) == 200);

            // wrong credentials everywhere, then right ones
            assertThat(status(post(ingest, "Bearer am-token-0f9e8d7X", "{}"))).isEqualTo(401);
            assertThat(status(post(ingest.resolve("/api/v1/drift"), basic("drift-job", "wrong"), "{}"))).isEqualTo(401);
            assertThat(status(get(processor, "Bearer read-token-4b5c6d7e8f9X"))).isEqualTo(401);
            assertThat(status(post(processor.resolve("/api/v1/incidents/INC-1/acknowledge"),
                    "Bearer write-token-3a4b5c6d7e8X", "{\"actor\":\"alice\"}"))).isEqualTo(401);
            URI slack = ingest.resolve("/api/v1/slack/interactivity");
            HttpResponse<String> forged = http.send(HttpRequest.newBuilder(slack)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Slack-Request-Timestamp", String.valueOf(java.time.Instant.now().getEpochSecond()))
                    .header("X-Slack-Signature", "v0=" + "0".repeat(64)).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString("payload=%7B%7D")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(status(get(processor, "Bearer read-token-4b5c6d7e8f9a"))).isEqualTo(200);
            assertThat(status(post(ingest.resolve("/api/v1/drift"), basic("drift-job", "drift-pass-5e6f7a8b"),
                    "{\"model\":\"m\",\"datasetDrift\":true,\"driftShare\":0.5,\"timestamp\":\"2026-11-22T18:00:00Z\"}")))
                    .isEqualTo(202);
        }

        assertThat(watch.events.get()).as("log lines seen").isPositive();
        assertThat(watch.kafkaConfigDumps.get()).as("Kafka client configuration dumps seen").isPositive();
        assertThat(watch.leaks).as("log lines carrying a secret").isEmpty();
    }

    private static Map<String, String> secretEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TYPE", "bearer");
        env.put("RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TOKEN", "am-token-0f9e8d7c");
        env.put("RUNSTREAM_INGEST_AUTH_REMOTE_WRITE_TYPE", "bearer");
        env.put("RUNSTREAM_INGEST_AUTH_REMOTE_WRITE_TOKEN", "rw-token-1a2b3c4d");
        env.put("RUNSTREAM_INGEST_AUTH_DRIFT_TYPE", "basic");
        env.put("RUNSTREAM_INGEST_AUTH_DRIFT_USERNAME", "drift-job");
        env.put("RUNSTREAM_INGEST_AUTH_DRIFT_PASSWORD", "drift-pass-5e6f7a8b");
        env.put("RUNSTREAM_INGEST_AUTH_PAGERDUTY_TYPE", "bearer");
        env.put("RUNSTREAM_INGEST_AUTH_PAGERDUTY_TOKEN", "pd-token-9c0d1e2f");
        env.put("RUNSTREAM_NOTIFICATIONS_SLACK_BOT_TOKEN", "xoxb-bot-token-0c1d2e3f4a");
        env.put("RUNSTREAM_SLACK_SIGNING_SECRET", "slack-signing-1d2e3f4a5b");
        env.put("RUNSTREAM_API_WRITE_TOKEN", "write-token-3a4b5c6d7e8f");
        env.put("RUNSTREAM_API_READ_TOKEN", "read-token-4b5c6d7e8f9a");
        // SASL settings every client carries; on a PLAINTEXT listener they are configured and logged, not used.
        env.put("RUNSTREAM_KAFKA_CLIENT_SASL_MECHANISM", "PLAIN");
        env.put("RUNSTREAM_KAFKA_CLIENT_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule "
                + "required username=\"runstream\" password=\"sasl-pass-6d7e8f9a0b\";");
        env.put("RUNSTREAM_KAFKA_CLIENT_SSL_TRUSTSTORE_PASSWORD", "trust-pass-7e8f9a0b1c");
        env.put("RUNSTREAM_NOTIFICATIONS_SLACK_WEBHOOK_URL",
                "https://hooks.slack.com/services/T000/B000/slack-secret-8f9a0b1c2d");
        env.put("RUNSTREAM_NOTIFICATIONS_PAGERDUTY_ROUTING_KEY", "pd-routing-9a0b1c2d3e");
        return env;
    }

    private static URI endpoint(Stack stack, String service, String label) {
        RunstreamService running = stack.services().stream().filter(s -> s.name().equals(service)).findFirst()
                .orElseThrow();
        return running.endpoints().get(label);
    }

    private HttpResponse<String> get(URI uri, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String authorization, String json)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(HttpResponse<String> response) {
        return response.statusCode();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Checks each log event, message, arguments and exceptions alike, for any secret; keeps only the leaks. */
    private static final class SecretWatch extends AppenderBase<ILoggingEvent> {
        final AtomicInteger events = new AtomicInteger();
        final AtomicInteger kafkaConfigDumps = new AtomicInteger();
        final List<String> leaks = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            events.incrementAndGet();
            StringBuilder text = new StringBuilder(event.getFormattedMessage()).append(' ').append(event.getMDCPropertyMap());
            if (event.getArgumentArray() != null) {
                for (Object argument : event.getArgumentArray()) {
                    text.append(' ').append(argument);
                }
            }
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    text.append(' ').append(frame.getSTEAsString());
                }
            }
            String line = text.toString();
            if (line.contains("sasl.jaas.config = [hidden]")) {
                kafkaConfigDumps.incrementAndGet();
            }
            List<String> found = new ArrayList<>();
            for (String secret : SECRETS) {
                if (line.contains(secret)) {
                    found.add(secret);
                }
            }
            if (!found.isEmpty()) {
                leaks.add(event.getLoggerName() + " " + event.getLevel() + " " + found + ": "
                        + line.substring(0, Math.min(300, line.length())));
            }
        }
    }
}
