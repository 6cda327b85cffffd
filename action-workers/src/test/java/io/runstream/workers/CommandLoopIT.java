package io.runstream.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionType;
import io.runstream.schemas.DeadLetterHeaders;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;
import io.runstream.workers.kubernetes.ScaleExecutor;

/**
 * Commands in, results out on the real broker: one result per command id, a duplicate delivery answered once,
 * and a crash after the change but before the result publishes one result and makes no second change.
 */
@WithKafka
@EnableKubernetesMockClient(crud = true)
class CommandLoopIT {

    KubernetesClient client;
    private TestKafka kafka;
    private TopicCatalog catalog;
    private final List<Thread> threads = new ArrayList<>();
    private final List<CommandLoop> loops = new ArrayList<>();

    @BeforeEach
    void givenTopicsAndGatewayWithThreeReplicas(TestKafka kafka) {
        this.kafka = kafka;
        catalog = new TopicCatalog(new TopicSettings(kafka.uniqueId("loop") + ".", 3, (short) 1),
                RunstreamSerdes.avro());
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.specs());
        }
        client.resource(Commands.deployment("prod", "gateway", 3)).create();
    }

    @AfterEach
    void stopLoops() throws InterruptedException {
        loops.forEach(CommandLoop::stop);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }

    @Test
    void crashAfterChangeBeforeResultPublishesOneResultAndChangesOnce() {
        // given: a worker that dies right after carrying out cmd-crash, before its result is published
        AtomicBoolean crashed = new AtomicBoolean(false);
        ActionExecutor scale = new ScaleExecutor(Commands.calls(client), SafetyPolicy.DEFAULTS);
        ActionExecutor crashing = new ActionExecutor() {
            @Override
            public ActionType type() {
                return ActionType.SCALE;
            }

            @Override
            public Execution execute(ActionCommand command, boolean dryRun) {
                Execution done = scale.execute(command, dryRun);
                if (command.getCommandId().equals("cmd-crash") && crashed.compareAndSet(false, true)) {
                    throw new AssertionError("simulated crash between change and result");
                }
                return done;
            }
        };
        CommandLoop first = start(crashing);
        send(fresh(Commands.scale("cmd-a", "prod", "4")));
        send(fresh(Commands.scale("cmd-a", "prod", "4")));
        send(fresh(Commands.scale("cmd-crash", "prod", "6")));
        await().atMost(Duration.ofSeconds(30)).until(() -> crashed.get() && !first.isReady());

        // when: a new worker starts on the same group
        start(scale);
        send(fresh(Commands.scale("cmd-a", "prod", "4")));
        send(fresh(Commands.scale("cmd-z", "prod", "7")));

        // then: one result per command id, the crashed one answered from the marker, no change made twice
        List<ActionResult> results = new ArrayList<>();
        try (KafkaConsumer<String, ActionResult> consumer = resultConsumer()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> results.add(r.value()));
                return results.stream().anyMatch(r -> r.getCommandId().equals("cmd-z"));
            });
            consumer.poll(Duration.ofMillis(500)).forEach(r -> results.add(r.value()));
        }
        assertThat(results).extracting(ActionResult::getCommandId).containsExactlyInAnyOrder("cmd-a", "cmd-crash",
                "cmd-z");
        assertThat(results).filteredOn(r -> r.getCommandId().equals("cmd-crash")).singleElement()
                .extracting(ActionResult::getOutcome).isEqualTo(ActionOutcome.ALREADY_APPLIED);
        assertThat(client.apps().deployments().inNamespace("prod").withName("gateway").get().getSpec()
                .getReplicas()).isEqualTo(7);
    }

    @Test
    void badInputIsAnsweredOrDeadLetteredAndTheLoopGoesOn() {
        CommandLoop loop = start(new ScaleExecutor(Commands.calls(client), SafetyPolicy.DEFAULTS));

        sendRaw("Deployment/prod/gateway", "not avro at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        send(fresh(Commands.scale("bad-number", "prod", "six")));
        send(fresh(Commands.command("bad-type", ActionType.UNKNOWN, "Deployment", "prod", "gateway", Map.of())));
        send(fresh(Commands.scale("bad-namespace", "kube-system", "4")));
        send(fresh(Commands.command("bad-size", ActionType.SCALE, "Deployment", "prod", "gateway",
                Map.of("replicas", "4".repeat(20_000)))));
        send(fresh(Commands.scale("good", "prod", "5")));

        List<ActionResult> results = new ArrayList<>();
        try (KafkaConsumer<String, ActionResult> consumer = resultConsumer()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> results.add(r.value()));
                return results.size() >= 5;
            });
        }
        // kube-system is another key, so possibly another partition: no order across them
        assertThat(results).extracting(ActionResult::getCommandId, ActionResult::getOutcome,
                ActionResult::getReasonCode).containsExactlyInAnyOrder(
                        tuple("bad-number", ActionOutcome.REJECTED, "malformed_parameters"),
                        tuple("bad-type", ActionOutcome.REJECTED, "unknown_action"),
                        tuple("bad-namespace", ActionOutcome.REJECTED, "namespace_denied"),
                        tuple("bad-size", ActionOutcome.REJECTED, "malformed_parameters"),
                        tuple("good", ActionOutcome.SUCCEEDED, null));
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = deadLetterConsumer()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
                return !letters.isEmpty();
            });
        }
        assertThat(new String(letters.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value(),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("deserialization");
        assertThat(new String(letters.get(0).value(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("not avro at all");
        assertThat(loop.isReady()).isTrue();
    }

    private void sendRaw(String key, byte[] value) {
        Properties properties = kafka.clientProperties();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(catalog.actionCommands().name(), key, value));
        }
    }

    private KafkaConsumer<byte[], byte[]> deadLetterConsumer() {
        Properties properties = kafka.clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueId("dlq-reader"));
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(catalog.deadLetters().name()));
        return consumer;
    }

    private CommandLoop start(ActionExecutor executor) {
        CommandLoop loop = new CommandLoop(kafka.clientProperties(), kafka.uniqueId("workers"),
                catalog.actionCommands(), catalog.actionResults(), catalog.deadLetters(),
                done -> new CommandHandler(List.of(executor), RemediationMode.ENFORCE, SafetyPolicy.DEFAULTS, done,
                        Clock.systemUTC(), "worker-it", new SimpleMeterRegistry()));
        Thread thread = new Thread(loop, "command-loop-" + loops.size());
        loops.add(loop);
        threads.add(thread);
        thread.start();
        await().atMost(Duration.ofSeconds(30)).until(loop::isReady);
        return loop;
    }

    private static ActionCommand fresh(ActionCommand command) {
        command.setIssuedAt(Instant.now());
        command.setExpiresAt(Instant.now().plusSeconds(600));
        return command;
    }

    private void send(ActionCommand command) {
        Properties properties = kafka.clientProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, ActionCommand> producer = new KafkaProducer<>(properties,
                catalog.actionCommands().keySerde().serializer(), catalog.actionCommands().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(catalog.actionCommands().name(),
                    CommandHandler.targetKey(command.getTarget()), command));
        }
    }

    private KafkaConsumer<String, ActionResult> resultConsumer() {
        Properties properties = kafka.clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueId("results-reader"));
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, ActionResult> consumer = new KafkaConsumer<>(properties,
                catalog.actionResults().keySerde().deserializer(), catalog.actionResults().valueSerde().deserializer());
        consumer.subscribe(List.of(catalog.actionResults().name()));
        return consumer;
    }
}
