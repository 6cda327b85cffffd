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
import io.runstream.schemas.PartitionKeys;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;
import io.runstream.workers.kubernetes.DeploymentController;
import io.runstream.workers.kubernetes.KubernetesCalls;
import io.runstream.workers.kubernetes.RolloutVerifier;
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
    private String group;
    private final List<Thread> threads = new ArrayList<>();
    private final List<CommandLoop> loops = new ArrayList<>();

    @BeforeEach
    void givenTopicsAndGatewayWithThreeReplicas(TestKafka kafka) {
        this.kafka = kafka;
        group = kafka.uniqueId("workers");
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
        ActionExecutor scale = new ScaleExecutor(liveCalls(), SafetyPolicy.DEFAULTS);
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
        // (no controller runs the rollouts here, so each is still APPLIED, awaiting its final result)
        assertThat(results).extracting(ActionResult::getCommandId).containsExactlyInAnyOrder("cmd-a", "cmd-crash",
                "cmd-z");
        assertThat(results).filteredOn(r -> r.getCommandId().equals("cmd-crash")).singleElement()
                .satisfies(r -> assertThat(r.getMessage()).contains("this command already scaled"))
                .extracting(ActionResult::getOutcome).isEqualTo(ActionOutcome.APPLIED);
        assertThat(client.apps().deployments().inNamespace("prod").withName("gateway").get().getSpec()
                .getReplicas()).isEqualTo(7);
    }

    @Test
    void badInputIsAnsweredOrDeadLetteredAndTheLoopGoesOn() {
        CommandLoop loop = start(new ScaleExecutor(liveCalls(), SafetyPolicy.DEFAULTS));

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
                        tuple("good", ActionOutcome.APPLIED, null));
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

    @Test
    void runbook003Option1_aPageWhileARolloutIsVerifiedGoesOutAtOnceAndTheRolloutEndsSucceeded() {
        // given: the gateway's scale-out (runbook 003, Option 2) is applied and its rollout not complete
        DeploymentController controller = new DeploymentController(client, "prod", "gateway");
        start(new ScaleExecutor(liveCalls(), SafetyPolicy.DEFAULTS), new AnsweringPage());
        send(fresh(Commands.scale("scale-gw", "prod", "6")));
        List<ActionResult> results = new ArrayList<>();
        try (KafkaConsumer<String, ActionResult> consumer = resultConsumer()) {
            awaitResult(consumer, results, "scale-gw", ActionOutcome.APPLIED);
            controller.progressing(6, 3, 6);

            // when: the on-call is paged while the rollout is still verified
            send(fresh(Commands.command("page-oncall", ActionType.PAGE, "pagerduty", null, "on-call",
                    Map.of("event", "trigger"))));

            // then: the page is answered although the scale has no final result yet
            awaitResult(consumer, results, "page-oncall", ActionOutcome.SUCCEEDED);
            assertThat(results).filteredOn(r -> r.getCommandId().equals("scale-gw"))
                    .extracting(ActionResult::getOutcome).containsExactly(ActionOutcome.APPLIED);

            controller.complete();
            awaitResult(consumer, results, "scale-gw", ActionOutcome.SUCCEEDED);
        }
        assertThat(results).filteredOn(r -> r.getCommandId().equals("scale-gw"))
                .extracting(ActionResult::getOutcome).containsExactly(ActionOutcome.APPLIED, ActionOutcome.SUCCEEDED);
    }

    @Test
    void runbook003Option1_aRolloutStillVerifiedWhenTheWorkerStopsIsVerifiedByTheNextOneAndNotRedone() {
        DeploymentController controller = new DeploymentController(client, "prod", "gateway");
        CommandLoop first = start(new ScaleExecutor(liveCalls(), SafetyPolicy.DEFAULTS));
        ActionCommand scale = fresh(Commands.scale("scale-restart", "prod", "5"));
        send(scale);
        List<ActionResult> results = new ArrayList<>();
        try (KafkaConsumer<String, ActionResult> consumer = resultConsumer()) {
            awaitResult(consumer, results, "scale-restart", ActionOutcome.APPLIED);
            first.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> !first.isReady());
            long generation = gatewayGeneration();

            // when: the next worker starts, the command is delivered again, and the rollout then completes
            start(new ScaleExecutor(liveCalls(), SafetyPolicy.DEFAULTS));
            send(scale);
            controller.complete();

            // then: the APPLIED command is verified to its end, and its change is not made a second time
            awaitResult(consumer, results, "scale-restart", ActionOutcome.SUCCEEDED);
            consumer.poll(Duration.ofMillis(500)).forEach(r -> results.add(r.value()));
            assertThat(gatewayGeneration()).isEqualTo(generation);
        }
        assertThat(results).extracting(ActionResult::getOutcome).containsExactly(ActionOutcome.APPLIED,
                ActionOutcome.SUCCEEDED);
    }

    @Test
    void aStartingWorkerReadsOnlyTheResultsOfTheLastMaxCommandExpiry() {
        // given: a page answered 31 hours ago (past 24h expiry + 6h verification) and one answered just now
        ActionResult old = answer("page-yesterday");
        ActionResult recent = answer("page-now");
        Instant now = Instant.now();
        sendResult(old, now.minus(Duration.ofHours(31)));
        sendResult(recent, now);

        // when: a worker rebuilds its answered ids
        CommandLoop loop = new CommandLoop(kafka.clientProperties(), group, catalog.actionCommands(),
                catalog.actionResults(), catalog.deadLetters(), done -> null, Verifier.NONE,
                SafetyPolicy.DEFAULTS.resultsLookback(RolloutVerifier.LONGEST_VERIFICATION), Clock.systemUTC());

        // then: only the recent result is read
        assertThat(loop.readResults()).extracting(ActionResult::getCommandId).containsExactly("page-now");
    }

    private static ActionResult answer(String id) {
        CommandHandler handler = new CommandHandler(List.of(new AnsweringPage()), RemediationMode.ENFORCE,
                SafetyPolicy.DEFAULTS, new DoneCommands(10), Clock.systemUTC(), "worker-it", new SimpleMeterRegistry());
        return handler.handle(fresh(Commands.command(id, ActionType.PAGE, "pagerduty", null, "on-call",
                Map.of("event", "trigger")))).orElseThrow();
    }

    private void sendResult(ActionResult result, Instant timestamp) {
        Properties properties = kafka.clientProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, ActionResult> producer = new KafkaProducer<>(properties,
                catalog.actionResults().keySerde().serializer(), catalog.actionResults().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(catalog.actionResults().name(), null, timestamp.toEpochMilli(),
                    result.getCommandId(), result));
        }
    }

    /** Calls on the system clock, which the verifier's deadlines are read against. */
    private KubernetesCalls liveCalls() {
        return new KubernetesCalls(client, Clock.systemUTC(), Commands.FAST_RETRIES);
    }

    private long gatewayGeneration() {
        return client.apps().deployments().inNamespace("prod").withName("gateway").get().getMetadata()
                .getGeneration();
    }

    private static void awaitResult(KafkaConsumer<String, ActionResult> consumer, List<ActionResult> results,
            String commandId, ActionOutcome outcome) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> results.add(r.value()));
            return results.stream().anyMatch(r -> r.getCommandId().equals(commandId) && r.getOutcome() == outcome);
        });
    }

    /** A PAGE that is answered at once, standing in for PagerDuty. */
    private static final class AnsweringPage implements ActionExecutor {
        @Override
        public ActionType type() {
            return ActionType.PAGE;
        }

        @Override
        public boolean remediation() {
            return false;
        }

        @Override
        public Execution execute(ActionCommand command, boolean dryRun) {
            return Execution.succeeded("paged " + command.getTarget().getName(), Map.of(), Map.of("event",
                    "trigger"));
        }
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

    private CommandLoop start(ActionExecutor... executors) {
        CommandLoop loop = new CommandLoop(kafka.clientProperties(), group,
                catalog.actionCommands(), catalog.actionResults(), catalog.deadLetters(),
                done -> new CommandHandler(List.of(executors), RemediationMode.ENFORCE, SafetyPolicy.DEFAULTS, done,
                        Clock.systemUTC(), "worker-it", new SimpleMeterRegistry()),
                new RolloutVerifier(client, Clock.systemUTC(), Duration.ofMillis(100), Duration.ofMinutes(5),
                        new SimpleMeterRegistry()), SafetyPolicy.DEFAULTS.resultsLookback(Duration.ofHours(6)),
                Clock.systemUTC());
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
                    PartitionKeys.actionCommand(command), command));
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
