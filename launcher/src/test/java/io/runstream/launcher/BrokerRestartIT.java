package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runstream.common.service.RunstreamService;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.CommittedRecords;

/**
 * The broker of a running pipeline (connector, stream processor, workers) stops under a steady stream of
 * webhook requests and comes back on the same port with its data: the connector answers 503 while it is down
 * and 200 again after; every alert acknowledged with 200 is on the alerts topic exactly once; the processor and
 * the workers carry on by themselves, so every acknowledged alert still becomes one incident whose commands
 * each get exactly one result. Uses a broker of its own, since stopping the shared one would disturb others.
 */
class BrokerRestartIT {

    private static final String PREFIX = "restart.";
    private static final String TOKEN = "alertmanager-token-for-the-restart-test";

    private EmbeddedKafkaBroker broker;
    private Stack stack;
    private WebhookSender sender;

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void pipelineRidesOutABrokerRestartWithNoAcknowledgedAlertLostOrDoubled(@TempDir Path dir) throws Exception {
        // given: the pipeline on a broker with persistent data, and a webhook request every 250 ms
        broker = EmbeddedKafkaBroker.builder().dataDirectory(dir.resolve("kafka")).build().start();
        stack = Stack.start(new StackOptions(broker.bootstrapServers(), null, 0, true), environment(dir));
        URI webhook = endpoint("alertmanager webhook");
        sender = WebhookSender.start(webhook, TOKEN, Duration.ofMillis(250));
        await().atMost(Duration.ofSeconds(60)).until(() -> sender.count(200) >= 8);

        // when: the broker stops long enough for requests to time out, and starts again on its data
        broker.stop();
        long okBeforeOutage = sender.count(200);
        await("503 while the broker is down").atMost(Duration.ofSeconds(60)).until(() -> sender.count(503) >= 3);
        broker.start();
        await("200 again after").atMost(Duration.ofSeconds(90))
                .until(() -> sender.count(200) >= okBeforeOutage + 8);
        sender.stop();

        // then: every acknowledged request's alert is in Kafka once
        Map<String, Integer> answers = sender.answers();
        Set<String> acknowledged = answers.entrySet().stream().filter(e -> e.getValue() == 200)
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(answers.values()).as("only 200 or 503, nothing else").allMatch(s -> s == 200 || s == 503);
        TopicCatalog topics = new TopicCatalog(new TopicSettings(PREFIX, 3, (short) 1), RunstreamSerdes.avro());
        Map<String, Long> copies = countBy(read(topics.alerts()), r -> r.value().getFingerprint());
        assertThat(acknowledged).allSatisfy(marker -> assertThat(copies.get(marker))
                .as("copies of acknowledged alert %s", marker).isEqualTo(1L));
        assertThat(copies).as("a refused request's alert may have landed late, but never twice")
                .allSatisfy((marker, count) -> assertThat(count).isEqualTo(1L));

        // and: the processor made one incident per acknowledged alert, and the workers answered each command once
        await("incidents, commands and results of every acknowledged alert").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(2)).until(() -> everyCommandAnswered(topics, acknowledged));
        Map<String, Set<String>> incidentsByService = read(topics.incidents()).stream().collect(Collectors.groupingBy(
                r -> r.value().getService(), Collectors.mapping(ConsumerRecord::key, Collectors.toSet())));
        assertThat(acknowledged).allSatisfy(marker -> assertThat(incidentsByService.get(WebhookSender.serviceOf(marker)))
                .as("incidents of %s", marker).hasSize(1));
        Map<String, Long> commandCopies = countBy(read(topics.actionCommands()), r -> r.value().getCommandId());
        assertThat(commandCopies).allSatisfy((id, count) -> assertThat(count).as("copies of %s", id).isEqualTo(1L));
        Map<String, Long> resultCopies = countBy(read(topics.actionResults()), r -> r.value().getCommandId());
        assertThat(resultCopies).allSatisfy((id, count) -> assertThat(count).as("results of %s", id).isEqualTo(1L));
    }

    private boolean everyCommandAnswered(TopicCatalog topics, Set<String> acknowledged) {
        Set<String> servicesWithIncident = read(topics.incidents()).stream().map(r -> r.value().getService())
                .collect(Collectors.toSet());
        if (!acknowledged.stream().map(WebhookSender::serviceOf).allMatch(servicesWithIncident::contains)) {
            return false;
        }
        Set<String> commands = read(topics.actionCommands()).stream().map(r -> r.value().getCommandId())
                .collect(Collectors.toSet());
        Set<String> answered = read(topics.actionResults()).stream().map(r -> r.value().getCommandId())
                .collect(Collectors.toSet());
        // two commands per incident: the P3 ticket and the scale-on-saturation runbook's SCALE
        return commands.size() >= 2 * acknowledged.size() && answered.containsAll(commands);
    }

    private <V> List<ConsumerRecord<String, V>> read(Topic<String, V> topic) {
        return CommittedRecords.read(broker.clientProperties(), topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    private static <V> Map<String, Long> countBy(List<ConsumerRecord<String, V>> records,
            Function<ConsumerRecord<String, V>, String> key) {
        return records.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    }

    private URI endpoint(String label) {
        return stack.services().stream().map(RunstreamService::endpoints).filter(e -> e.containsKey(label))
                .map(e -> e.get(label)).findFirst().orElseThrow();
    }

    private static Map<String, String> environment(Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("RUNSTREAM_KAFKA_TOPIC_PREFIX", PREFIX);
        env.put("RUNSTREAM_KAFKA_PARTITIONS", "3");
        env.put("RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TYPE", "bearer");
        env.put("RUNSTREAM_INGEST_AUTH_ALERTMANAGER_TOKEN", TOKEN);
        // a request waits this long for Kafka before its 503: short, so the outage shows within the test
        env.put("RUNSTREAM_INGEST_PRODUCE_TIMEOUT", "2s");
        env.put("RUNSTREAM_STREAMS_APPLICATION_ID", "restart-processor");
        env.put("RUNSTREAM_STREAMS_STATE_DIR", dir.resolve("state").toString());
        return env;
    }
}
