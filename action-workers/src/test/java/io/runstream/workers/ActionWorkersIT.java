package io.runstream.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.common.config.ConfigLoader;
import io.runstream.schemas.PartitionKeys;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;
import io.runstream.workers.notify.Receiver;

/** The whole service as it ships: configuration, topics, command loop, readiness and metrics. */
@WithKafka
class ActionWorkersIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void becomesReadyAnswersACommandAndCountsIt(TestKafka kafka) throws Exception {
        String prefix = kafka.uniqueId("service") + ".";
        try (Receiver slack = new Receiver(200, "ok")) {
            ActionWorkersConfig config = new ConfigLoader().load(ActionWorkersConfig.class,
                    ActionWorkersConfig.DEFAULTS, null, Map.of(
                            "RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                            "RUNSTREAM_KAFKA_TOPIC_PREFIX", prefix,
                            "RUNSTREAM_KAFKA_PARTITIONS", "1",
                            "RUNSTREAM_HTTP_PORT", "0",
                            "RUNSTREAM_NOTIFICATIONS_SLACK_WEBHOOK_URL", slack.uri("/services/T0/B0/x").toString()));
            try (ActionWorkers workers = new ActionWorkers(config)) {
                workers.start();
                URI ready = workers.endpoints().get("workers health");
                await().atMost(Duration.ofSeconds(60)).until(() -> status(ready) == 200);

                TopicCatalog catalog = new TopicCatalog(config.kafka().topicSettings(), RunstreamSerdes.avro());
                ActionCommand notify = Commands.fresh(Commands.command("svc-1", ActionType.NOTIFY, "slack", null,
                        "ml-incidents", Map.of("event", "opened", "title", "Gateway 5xx above 5%", "severity", "P1")));
                send(kafka, catalog, notify);

                ActionResult result = firstResult(kafka, catalog);
                assertThat(result.getOutcome()).isEqualTo(ActionOutcome.SUCCEEDED);
                assertThat(slack.requests()).hasSize(1);
                String metrics = HTTP.send(HttpRequest.newBuilder(workers.endpoints().get("workers metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("runstream_action_commands_total{outcome=\"SUCCEEDED\","
                        + "service=\"action-workers\",type=\"NOTIFY\"} 1.0");
            }
        }
    }

    @Test
    void aStoppedCommandLoopMakesLivenessFailWithTheReasonAndCountsIt(TestKafka kafka) throws Exception {
        // given: workers whose SCALE executor has a bug no result can describe (an Error, not an exception)
        String prefix = kafka.uniqueId("liveness") + ".";
        ActionWorkersConfig config = new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                null, Map.of(
                        "RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                        "RUNSTREAM_KAFKA_TOPIC_PREFIX", prefix,
                        "RUNSTREAM_KAFKA_PARTITIONS", "1",
                        "RUNSTREAM_HTTP_PORT", "0"));
        ActionExecutor broken = new ActionExecutor() {
            @Override
            public ActionType type() {
                return ActionType.SCALE;
            }

            @Override
            public boolean remediation() {
                return false;
            }

            @Override
            public Execution execute(ActionCommand command, boolean dryRun) {
                throw new AssertionError("scale executor bug on " + command.getCommandId());
            }
        };
        try (ActionWorkers workers = new ActionWorkers(config, List.of(broken))) {
            workers.start();
            URI ready = workers.endpoints().get("workers health");
            URI live = ready.resolve("/health/live");
            await().atMost(Duration.ofSeconds(60)).until(() -> status(ready) == 200);
            assertThat(status(live)).isEqualTo(200);

            // when: the command that hits the bug arrives
            TopicCatalog catalog = new TopicCatalog(config.kafka().topicSettings(), RunstreamSerdes.avro());
            send(kafka, catalog, Commands.fresh(Commands.scale("scale-gateway-1", "serving", "4")));

            // then: the loop has stopped, the process is no longer live, and the gauge a rule pages on says so
            await().atMost(Duration.ofSeconds(30)).until(() -> status(live) == 503);
            String body = HTTP.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("command-loop").contains("scale executor bug on scale-gateway-1");
            String metrics = HTTP.send(HttpRequest.newBuilder(workers.endpoints().get("workers metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("runstream_component_failed{component=\"command-loop\","
                    + "service=\"action-workers\"} 1.0");
        }
    }

    private static int status(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
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
        List<ActionResult> results = new ArrayList<>();
        try (KafkaConsumer<String, ActionResult> consumer = new KafkaConsumer<>(properties,
                catalog.actionResults().keySerde().deserializer(), catalog.actionResults().valueSerde().deserializer())) {
            consumer.subscribe(List.of(catalog.actionResults().name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> results.add(r.value()));
                return !results.isEmpty();
            });
        }
        return results.get(0);
    }
}
