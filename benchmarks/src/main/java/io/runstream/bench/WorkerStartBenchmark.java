package io.runstream.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionMode;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;
import io.runstream.schemas.TopicSettings;
import io.runstream.workers.ActionExecutor;
import io.runstream.workers.CommandHandler;
import io.runstream.workers.CommandLoop;
import io.runstream.workers.Execution;
import io.runstream.workers.RemediationMode;
import io.runstream.workers.SafetyPolicy;
import io.runstream.workers.Verifier;
import io.runstream.workers.kubernetes.RolloutVerifier;

/**
 * How long an action worker takes from start to ready with N results on action-results: the results spread over
 * the topic's 90 days, {@code --recent} of them inside the rebuild window. "whole topic" reads from the beginning
 * (a lookback longer than the topic, which is what the workers did before {@code safety.maxCommandExpiry});
 * "last maxCommandExpiry" is the default lookback. Usage: {@code worker-start [--results N] [--recent N]}.
 */
final class WorkerStartBenchmark {

    private WorkerStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int total = Integer.parseInt(option(args, "--results", "1000000"));
        int recent = Integer.parseInt(option(args, "--recent", "10000"));
        Path work = Files.createTempDirectory("runstream-worker-start");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDirectory(work.resolve("kafka"))
                .build().start()) {
            TopicCatalog topics = new TopicCatalog(new TopicSettings("bench.", 6, (short) 1), RunstreamSerdes.avro());
            try (Admin admin = Admin.create(broker.clientProperties())) {
                new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics.specs());
            }
            long produceStart = System.nanoTime();
            produce(broker, topics, total, recent);
            System.out.printf("produced %,d results (%,d in the last hour) in %.1f s%n", total, recent,
                    (System.nanoTime() - produceStart) / 1e9);
            Duration whole = Duration.ofDays(36_500);
            Duration window = SafetyPolicy.DEFAULTS.resultsLookback(RolloutVerifier.LONGEST_VERIFICATION);
            for (int round = 1; round <= 2; round++) {
                System.out.printf("round %d: whole topic %.2f s, last %s %.2f s%n", round,
                        startSeconds(broker, topics, whole), window, startSeconds(broker, topics, window));
            }
        }
    }

    /** Seconds from the loop's start to its readiness (answered ids rebuilt, subscribed). */
    private static double startSeconds(EmbeddedKafkaBroker broker, TopicCatalog topics, Duration lookback)
            throws InterruptedException {
        CommandLoop loop = new CommandLoop(broker.clientProperties(), "bench-" + UUID.randomUUID(),
                topics.actionCommands(), topics.actionResults(), topics.deadLetters(),
                done -> new CommandHandler(List.of(), RemediationMode.DRY_RUN, SafetyPolicy.DEFAULTS, done,
                        Clock.systemUTC(), "bench", new SimpleMeterRegistry()), Verifier.NONE, lookback,
                Clock.systemUTC());
        Thread thread = new Thread(loop, "bench-command-loop");
        long start = System.nanoTime();
        thread.start();
        long deadline = start + Duration.ofMinutes(10).toNanos();
        // a benchmark, not a test: a 5 ms poll is far below what is measured
        while (!loop.isReady()) {
            if (loop.problem() != null && !loop.problem().equals("command loop not running")
                    || System.nanoTime() > deadline) {
                throw new IllegalStateException("worker did not start: " + loop.problem());
            }
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        loop.stop();
        thread.join();
        return seconds;
    }

    /** Results spread evenly over the last 90 days down to 31 hours ago, then {@code recent} in the last hour. */
    private static void produce(EmbeddedKafkaBroker broker, TopicCatalog topics, int total, int recent) {
        Properties properties = broker.clientProperties();
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        Instant now = Instant.now();
        long oldFrom = now.minus(Duration.ofDays(90)).toEpochMilli();
        long oldTo = now.minus(Duration.ofHours(31)).toEpochMilli();
        long recentFrom = now.minus(Duration.ofHours(1)).toEpochMilli();
        int old = total - recent;
        ActionResult result = template();
        try (KafkaProducer<String, ActionResult> producer = new KafkaProducer<>(properties,
                topics.actionResults().keySerde().serializer(), topics.actionResults().valueSerde().serializer())) {
            for (int i = 0; i < total; i++) {
                long at = i < old ? oldFrom + (oldTo - oldFrom) * i / Math.max(1, old)
                        : recentFrom + (now.toEpochMilli() - recentFrom) * (i - old) / Math.max(1, recent);
                String id = "cmd-" + i;
                result.setCommandId(id);
                result.setFinishedAt(Instant.ofEpochMilli(at));
                producer.send(new ProducerRecord<>(topics.actionResults().name(), null, at, id, result));
            }
        }
    }

    /** A page's SUCCEEDED result, as the workers publish it. */
    private static ActionResult template() {
        ActionExecutor page = new ActionExecutor() {
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
                return Execution.succeeded("paged on-call", Map.of(), Map.of("event", "trigger"));
            }
        };
        Instant now = Instant.now();
        ActionCommand command = ActionCommand.newBuilder().setCommandId("template").setIncidentId("INC-3F2A9C01B7E4")
                .setType(ActionType.PAGE)
                .setTarget(ActionTarget.newBuilder().setKind("pagerduty").setNamespace(null).setName("on-call").build())
                .setParameters(Map.of("event", "trigger")).setMode(ActionMode.ENFORCE)
                .setRunbook("high-error-rate#2").setReason("5xx above 5 % on inference-gateway")
                .setIssuedAt(now).setExpiresAt(now.plusSeconds(600)).build();
        return new CommandHandler(List.of(page), RemediationMode.ENFORCE, SafetyPolicy.DEFAULTS,
                new io.runstream.workers.DoneCommands(10), Clock.systemUTC(), "action-worker-1",
                new SimpleMeterRegistry()).handle(command).orElseThrow();
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
