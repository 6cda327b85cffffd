package io.runstream.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.common.config.ConfigLoader;
import io.runstream.schemas.PartitionKeys;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.testing.RecordingHttpReceiver;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * HTTP_REQUEST through the service as it ships: its configuration file and environment, action-commands and
 * action-results on the real broker. The command is the one the built-in circuit-breaker-open runbook issues
 * (HttpRunbooksTopologyTest): the token stays in the workers' environment.
 */
@WithKafka
class HttpRequestWorkersIT {

    private static final String TOKEN = "cb-reset-it-41d2";

    @Test
    void resetsCircuitBreakersFromACommandOnTheTopicWithTheTokenOfItsOwnEnvironment(TestKafka kafka,
            @TempDir Path dir) throws Exception {
        try (RecordingHttpReceiver api = RecordingHttpReceiver.answering(200, "{\"reset\":[\"redis\"]}")) {
            String host = api.uri("").getRawAuthority();
            Path file = Files.writeString(dir.resolve("workers.yaml"), "mode: enforce\n"
                    + "httpActions:\n  allowedHosts: [\"" + host + "\"]\n");
            String prefix = kafka.uniqueId("http") + ".";
            ActionWorkersConfig config = new ConfigLoader().load(ActionWorkersConfig.class,
                    ActionWorkersConfig.DEFAULTS, file, Map.of(
                            "RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                            "RUNSTREAM_KAFKA_TOPIC_PREFIX", prefix,
                            "RUNSTREAM_KAFKA_PARTITIONS", "1",
                            "RUNSTREAM_HTTP_PORT", "0",
                            "RUNSTREAM_HTTP_ACTIONS_SECRETS_CIRCUIT_RESET", TOKEN));
            try (ActionWorkers workers = new ActionWorkers(config)) {
                workers.start();
                TopicCatalog catalog = new TopicCatalog(config.kafka().topicSettings(), RunstreamSerdes.avro());
                ActionCommand reset = Commands.fresh(Commands.command("INC-0A1B2C3D4E5F/circuit-breaker-open/"
                        + "reset-circuit-breakers", ActionType.HTTP_REQUEST, "http", null, host, Map.of(
                                "method", "POST", "url", "http://" + host + "/api/v1/admin/reset-circuits",
                                "tokenRef", "circuit-reset")));

                send(kafka, catalog, reset);
                ActionResult result = firstResult(kafka, catalog);

                assertThat(result.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
                assertThat(result.getAfter()).containsEntry("status", "200")
                        .containsEntry("body", "{\"reset\":[\"redis\"]}");
                assertThat(api.requests()).singleElement().satisfies(request -> {
                    assertThat(request.header("Authorization")).contains("Bearer " + TOKEN);
                    assertThat(request.header("Idempotency-Key")).contains(reset.getCommandId());
                });
                assertThat(result.toString()).doesNotContain(TOKEN);
            }
        }
    }

    private static void send(TestKafka kafka, TopicCatalog catalog, ActionCommand command) {
        try (KafkaProducer<String, ActionCommand> producer = new KafkaProducer<>(kafka.clientProperties(),
                catalog.actionCommands().keySerde().serializer(), catalog.actionCommands().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(catalog.actionCommands().name(),
                    PartitionKeys.actionCommand(command), command));
        }
    }

    private static ActionResult firstResult(TestKafka kafka, TopicCatalog catalog) {
        Properties properties = kafka.clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueId("results"));
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ActionResult> results = new ArrayList<>();
        try (KafkaConsumer<String, ActionResult> consumer = new KafkaConsumer<>(properties,
                catalog.actionResults().keySerde().deserializer(), catalog.actionResults().valueSerde().deserializer())) {
            consumer.subscribe(List.of(catalog.actionResults().name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> results.add(r.value()));
                return !results.isEmpty();
            });
        }
        return results.get(0);
    }
}
