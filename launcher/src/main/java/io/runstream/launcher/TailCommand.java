package io.runstream.launcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.ActionResult;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.schemas.registry.SchemaSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runstream tail TOPIC}: prints a Runstream topic as JSON lines, decoding the Avro single-object encoding
 * (committed records only). A record that does not decode is printed with its bytes in base64 and the error,
 * never skipped silently. Dead letters print their original bytes and their {@code runstream.dlq.*} headers.
 * {@code runstream tail --inbox} prints the action workers' local-inbox deliveries instead, one readable line each.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print a Runstream topic as JSON lines (alerts, metric-samples, incidents, ...).",
            "With --inbox, print what the action workers delivered to their local inbox, one line each."})
public final class TailCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "TOPIC", arity = "0..1", description = "Logical topic name, e.g. incidents, "
            + "incident-events, action-commands, dead-letters (not with --inbox).")
    String topic;

    @Option(names = "--inbox", description = "Print only the pages, messages and tickets the action workers delivered "
            + "to their local inbox (channels without configuration), as 'time incident channel event: text', "
            + "read from action-results.")
    boolean inbox;

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka, e.g. 127.0.0.1:9092.")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = "runstream.", description = "Topic prefix (default ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--schema-registry", description = "Schema registry URL (its Confluent API, e.g. "
            + "http://127.0.0.1:8080/apis/ccompat/v7) to decode values in Confluent framing; single-object encoded "
            + "values decode either way.")
    String schemaRegistry;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of new ones only.")
    boolean fromBeginning;

    @Option(names = "--max", defaultValue = "0", description = "Stop after this many records (0: never).")
    long max;

    @Option(names = "--idle-timeout", defaultValue = "0s", description = "Stop after this long without a record, "
            + "e.g. 5s (0s: never).")
    String idleTimeout;

    @Override
    public Integer call() {
        // only reads: nothing is registered, ids are fetched from the registry as records name them
        RunstreamSerdes serdes = schemaRegistry == null || schemaRegistry.isBlank() ? RunstreamSerdes.avro()
                : RunstreamSerdes.from(SchemaSettings.confluent(schemaRegistry));
        TopicCatalog catalog = new TopicCatalog(new TopicSettings(prefix, 1, (short) 1), serdes);
        if (inbox == (topic != null)) {
            System.err.println(inbox ? "--inbox reads action-results itself; give no TOPIC with it"
                    : "Give a TOPIC, or --inbox");
            return 2;
        }
        if (inbox) {
            topic = catalog.actionResults().name();
        }
        Topic<?, ?> selected = catalog.all().stream()
                .filter(t -> t.name().equals(prefix + topic) || t.name().equals(topic)).findFirst().orElse(null);
        if (selected == null) {
            System.err.println("Unknown topic '" + topic + "'; one of " + catalog.all().stream()
                    .map(t -> t.name().substring(prefix.length())).toList());
            return 2;
        }
        Duration idle = io.runstream.common.config.DurationParser.parse(idleTimeout);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(selected.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            Instant lastRecord = Instant.now();
            while (max == 0 || printed < max) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    String line = inbox ? inboxLine(catalog.actionResults(), record) : line(selected, record);
                    if (line == null) {
                        continue;
                    }
                    System.out.println(line);
                    lastRecord = Instant.now();
                    if (++printed == max) {
                        break;
                    }
                }
                if (!idle.isZero() && Duration.between(lastRecord, Instant.now()).compareTo(idle) > 0) {
                    break;
                }
            }
        }
        System.out.flush();
        return 0;
    }

    /**
     * A delivery to the local inbox as {@code time incident channel event: text}; null for any other result (and
     * for one that does not decode: {@code runstream tail action-results} shows those). Control characters become
     * spaces, so that no text can move the terminal's cursor or change its colours.
     */
    static String inboxLine(Topic<String, ActionResult> results, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        ActionResult result;
        try {
            result = results.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            return null;
        }
        Map<String, String> after = result.getAfter();
        if (!"inbox".equals(after.get("delivery"))) {
            return null;
        }
        return (result.getFinishedAt() + " " + result.getIncidentId() + " " + after.get("channel") + " "
                + after.get("event") + ": " + after.get("text")).replaceAll("\\p{Cntrl}", " ");
    }

    private static String line(Topic<?, ?> topic, ConsumerRecord<byte[], byte[]> record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topic", record.topic());
        json.put("partition", record.partition());
        json.put("offset", record.offset());
        json.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        json.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
        Object decoder = topic.valueSerde().deserializer();
        if (record.value() == null) {
            json.put("value", null);
        } else if (topic.valueSerde().deserializer() instanceof ByteArrayDeserializer
                || topic.name().endsWith("dead-letters")) {
            json.put("valueBase64", Base64.getEncoder().encodeToString(record.value()));
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), header.value() == null ? null
                        : new String(header.value(), StandardCharsets.UTF_8));
            }
            json.put("headers", headers);
        } else {
            try {
                Object value = ((org.apache.kafka.common.serialization.Deserializer<?>) decoder)
                        .deserialize(record.topic(), record.value());
                json.put("value", value instanceof SpecificRecord avro ? RecordJson.of(avro) : value);
            } catch (RuntimeException e) {
                json.put("error", "not decodable: " + e.getMessage());
                json.put("valueBase64", Base64.getEncoder().encodeToString(record.value()));
            }
        }
        try {
            return JSON.writeValueAsString(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "{\"error\":\"cannot print record at offset " + record.offset() + "\"}";
        }
    }
}
