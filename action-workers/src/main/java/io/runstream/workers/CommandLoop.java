package io.runstream.workers;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.schemas.DeadLetterHeaders;
import io.runstream.schemas.PartitionKeys;
import io.runstream.schemas.Topic;

/**
 * The worker loop: consumes action-commands (read_committed, one partition's commands in order, so one target's
 * commands in order), hands each to the {@link CommandHandler} and publishes its result to action-results
 * before committing the command's offset; an unreadable record goes to dead-letters with the reason. A result
 * that cannot be published stops the loop without committing (readiness then fails), so none is lost. An APPLIED
 * result (a change whose rollout is still running) is handed to the {@link Verifier} once it is sent, which
 * publishes the final result later through the same producer, so the commands behind it never wait for a
 * rollout. On start it rebuilds the done ids from action-results, so a command redelivered after a restart is not
 * executed again, and hands every command whose latest result is APPLIED to the verifier again; a crash between
 * a change and its result is caught by the executors' target-side marker instead.
 */
public final class CommandLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandLoop.class);

    private final Properties clientProperties;
    private final String groupId;
    private final Topic<String, ActionCommand> commands;
    private final Topic<String, ActionResult> results;
    private final Topic<byte[], byte[]> deadLetters;
    private final Function<DoneCommands, CommandHandler> handlerFactory;
    private final Verifier verifier;
    private final Duration resultsLookback;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Throwable failure;
    private volatile boolean exited;

    public CommandLoop(Properties clientProperties, String groupId, Topic<String, ActionCommand> commands,
            Topic<String, ActionResult> results, Topic<byte[], byte[]> deadLetters,
            Function<DoneCommands, CommandHandler> handlerFactory, Verifier verifier, Duration resultsLookback,
            Clock clock) {
        this.clientProperties = clientProperties;
        this.groupId = groupId;
        this.commands = commands;
        this.results = results;
        this.deadLetters = deadLetters;
        this.handlerFactory = handlerFactory;
        this.verifier = verifier;
        this.resultsLookback = resultsLookback;
        this.clock = clock;
    }

    @Override
    public void run() {
        // closed in reverse order: the verifier stops publishing before the producer closes
        try (KafkaProducer<byte[], byte[]> producer = producer();
                KafkaConsumer<byte[], byte[]> commandConsumer = consumer(groupId);
                Verifier verifying = verifier) {
            CommandHandler handler = handlerFactory.apply(new DoneCommands(100_000));
            List<ActionResult> earlier = readResults();
            handler.restore(earlier);
            Consumer<ActionResult> publishFinal = result -> producer.send(record(result), (metadata, e) -> {
                if (e != null) {
                    // the APPLIED result stays without a final one; the next start verifies it again
                    LOG.error("final result of {} not published", result.getCommandId(), e);
                }
            });
            List<ActionResult> unfinished = awaitingFinal(earlier);
            unfinished.forEach(applied -> verifying.follow(applied, publishFinal));
            LOG.info("{} APPLIED command(s) without a final result verified again", unfinished.size());
            consumer = commandConsumer;
            commandConsumer.subscribe(List.of(commands.name()));
            ready.set(true);
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> batch = commandConsumer.poll(Duration.ofMillis(200));
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    Optional<ActionCommand> command = decode(record, producer, sent);
                    command.flatMap(handler::handle).ifPresent(result -> {
                        sent.add(producer.send(record(result)));
                        // after the send: one producer, one key, so the final result cannot overtake it
                        if (result.getOutcome() == ActionOutcome.APPLIED) {
                            verifying.follow(result, publishFinal);
                        }
                    });
                }
                if (!batch.isEmpty()) {
                    // results durable before the commands are marked consumed: at worst a redelivery, never a loss
                    producer.flush();
                    for (Future<RecordMetadata> future : sent) {
                        future.get();
                    }
                    commandConsumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            LOG.debug("command loop woken up to stop");
        } catch (Throwable e) {
            failure = e;
            LOG.error("command loop stopped", e);
        } finally {
            ready.set(false);
            exited = true;
        }
    }

    /** The command, or empty after sending an unreadable record to dead-letters with the reason. */
    private Optional<ActionCommand> decode(ConsumerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> out,
            List<Future<RecordMetadata>> sent) {
        try {
            ActionCommand command = commands.valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (command == null) {
                throw new IllegalArgumentException("empty command record");
            }
            return Optional.of(command);
        } catch (RuntimeException e) {
            // an unreadable command cannot be answered (no id): park it where people look, keep the partition moving
            LOG.warn("undecodable command at {}-{}@{} sent to dead letters: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
            ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(deadLetters.name(), record.key(),
                    record.value());
            header(letter, DeadLetterHeaders.REASON, "deserialization");
            header(letter, DeadLetterHeaders.ERROR, String.valueOf(e.getMessage()));
            header(letter, DeadLetterHeaders.EXCEPTION, e.getClass().getName());
            header(letter, DeadLetterHeaders.SOURCE_TOPIC, record.topic());
            header(letter, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(record.partition()));
            header(letter, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(record.offset()));
            header(letter, DeadLetterHeaders.COMPONENT, "action-workers/command-loop");
            sent.add(out.send(letter));
            return Optional.empty();
        }
    }

    private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private ProducerRecord<byte[], byte[]> record(ActionResult result) {
        return new ProducerRecord<>(results.name(), bytes(PartitionKeys.actionResult(result)), value(result));
    }

    /**
     * The results, in topic order, of the commands whose latest result is APPLIED: changes whose rollout a
     * stopped worker was still verifying.
     */
    public static List<ActionResult> awaitingFinal(List<ActionResult> earlier) {
        Map<String, ActionResult> latest = new LinkedHashMap<>();
        // one command's results share a key (its correlation key, or its id), hence a partition: topic order is theirs
        earlier.forEach(result -> latest.put(result.getCommandId(), result));
        return latest.values().stream().filter(r -> r.getOutcome() == ActionOutcome.APPLIED).toList();
    }

    private byte[] bytes(String key) {
        return results.keySerde().serializer().serialize(results.name(), key);
    }

    private byte[] value(ActionResult result) {
        return results.valueSerde().serializer().serialize(results.name(), result);
    }

    /**
     * Reads action-results of the last {@code resultsLookback} (from each partition's offset for that time) to the
     * current end: the commands already answered and the recent changes, so a restarted worker neither repeats a
     * command nor forgets its rate limits. Older results cannot matter: their commands are refused as expired, their
     * verification is over and their changes are outside the rate window.
     */
    List<ActionResult> readResults() {
        List<ActionResult> answered = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = consumer(null)) {
            List<TopicPartition> partitions = new ArrayList<>();
            reader.partitionsFor(results.name()).forEach(p -> partitions.add(new TopicPartition(p.topic(),
                    p.partition())));
            reader.assign(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(reader.endOffsets(partitions));
            long since = Math.max(0, clock.instant().minus(resultsLookback).toEpochMilli());
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, since));
            // null: nothing written since then on that partition
            reader.offsetsForTimes(times).forEach((p, found) -> reader.seek(p, found != null ? found.offset()
                    : end.get(p)));
            while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    readResult(record).ifPresent(answered::add);
                }
            }
        }
        LOG.info("{} results of the last {} read: command ids already answered", answered.size(), resultsLookback);
        return answered;
    }

    private Optional<ActionResult> readResult(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Optional.ofNullable(results.valueSerde().deserializer().deserialize(record.topic(),
                    record.value()));
        } catch (RuntimeException e) {
            // not ours to dead-letter (the topic is the workers' own output); it just cannot count
            LOG.warn("unreadable result at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.toString());
            return Optional.empty();
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        if (group != null) {
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a command may retry for up to a minute against a struggling API server: small batches and a long poll
        // interval keep a slow batch from costing the group membership (and the results their offset commit)
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
        properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString(15 * 60_000));
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public boolean isReady() {
        return ready.get();
    }

    /** Null while healthy, else why the loop stopped. */
    public String problem() {
        Throwable f = failure;
        return f != null ? "command loop stopped: " + f : ready.get() ? null : "command loop not running";
    }

    /**
     * Null while the loop runs or is still starting, or after {@link #stop()}; why it stopped once it ended on its
     * own (a failure, an unpublishable result): nothing consumes commands any more, only a restart helps.
     */
    public String stoppedProblem() {
        Throwable f = failure;
        if (f != null) {
            return "command loop stopped: " + f;
        }
        return exited && running.get() ? "command loop ended without being stopped" : null;
    }

    public void stop() {
        running.set(false);
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
