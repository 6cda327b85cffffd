package io.runstream.processor.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

import io.runstream.avro.ActionCommand;
import io.runstream.avro.Incident;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.common.kafka.Topics;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.testing.CommittedRecords;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * {@code kill -9} of the stream processor (exactly_once_v2, its own JVM) in the middle of a steady stream of
 * samples and alerts, then a start on the same state directory and application id: every alert became one
 * incident, every action command id is on {@code action-commands} exactly once for a read_committed reader,
 * and escalation steps that came due while the processor was dead fire once after it is back.
 */
@WithKafka
class ProcessorCrashIT {

    /** A JVM start with a rebalance, or a backlog's processing; generous for a loaded 2-core machine. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration ESCALATION_DELAY = Duration.ofSeconds(10);
    private static final String RUNBOOKS = """
            escalation:
              severities:
                P3:
                  steps:
                    - {name: open-ticket, after: 0s, action: TICKET, channel: ticket/ml-platform}
                    - {name: page-on-call, after: 10s, action: PAGE, channel: pagerduty/on-call}
                  statusUpdates: {every: 0s, channel: slack/none}
            runbooks:
              - name: scale-on-saturation
                match: {alerts: [HighLatency]}
                steps:
                  - name: scale-up
                    action: SCALE
                    target: {kind: Deployment, namespace: "{{namespace}}", name: "{{service}}"}
                    parameters: {delta: "+2"}
            """;
    private static final List<String> COMMANDS_PER_INCIDENT =
            List.of("escalation/open-ticket", "escalation/page-on-call", "scale-on-saturation/scale-up");

    private ChildProcessor processor;
    private SteadyLoad load;

    @AfterEach
    void stop() {
        if (load != null) {
            load.close();
        }
        if (processor != null) {
            processor.close();
        }
    }

    @Test
    void killNineMidStreamLosesNoIncidentDuplicatesNoCommandAndFiresMissedTimersOnce(TestKafka kafka,
            @TempDir Path dir) throws Exception {
        // given: a processor in its own JVM, and a steady stream of samples and one new service's alert every 200 ms
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), kafka.uniqueId("crash") + ".", 3,
                (short) 1, Map.of());
        TopicCatalog topics = Topics.catalog(settings, RunstreamSerdes.avro());
        Topics.provision(settings, topics);
        Map<String, String> environment = environment(kafka, settings, dir);
        // The children's output stays in target/ for a post-mortem; the temporary directory does not.
        Path logs = Files.createDirectories(Path.of("target", "fault-logs", kafka.uniqueId("crash")));
        processor = ChildProcessor.start(environment, logs.resolve("processor-1.log"));
        processor.awaitReady(READY_TIMEOUT);
        load = new SteadyLoad(settings.clientProperties(), topics.metricSamples(), topics.alerts(), 20)
                .start(Duration.ofMillis(200));

        // when: it is killed while incidents are opening and their escalation steps are pending, and started again
        await().atMost(READY_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> commandIds(settings, topics)
                .stream().filter(id -> id.endsWith("/escalation/open-ticket")).count() >= 10);
        Instant killedAt = Instant.now();
        processor.kill();
        processor = ChildProcessor.start(environment, logs.resolve("processor-2.log"));
        processor.awaitReady(READY_TIMEOUT);
        Instant backAt = Instant.now();
        int alertsAtRestart = load.alertsSent();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.alertsSent() >= alertsAtRestart + 10);
        load.stop();

        // then: one incident per alerted service, and each incident's three commands, each exactly once
        Set<String> services = load.alertServices();
        await().atMost(READY_TIMEOUT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(onlyIncidentPerService(settings, topics).keySet()).containsAll(services);
            List<String> issued = commandIds(settings, topics);
            assertThat(issued).as(() -> missing(settings, topics, issued, killedAt, backAt))
                    .containsAll(expectedCommands(settings, topics));
        });
        Map<String, Incident> incidentByService = onlyIncidentPerService(settings, topics);
        assertThat(incidentByService.keySet()).containsExactlyInAnyOrderElementsOf(services);
        Map<String, Long> copies = commandIds(settings, topics).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(copies).allSatisfy((id, count) -> assertThat(count).as("copies of %s", id).isEqualTo(1));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(expectedCommands(settings, topics));
        // and: some escalation steps really were due while the processor was dead (else this proved nothing)
        assertThat(incidentByService.values()).filteredOn(incident -> {
            Instant due = incident.getOpenedAt().plus(ESCALATION_DELAY);
            return due.isAfter(killedAt) && due.isBefore(backAt);
        }).as("incidents whose page-on-call was due during the outage %s..%s", killedAt, backAt).isNotEmpty();
    }

    /** Which commands are missing, with their incident's opening time against the outage, for the failure. */
    private static String missing(KafkaSettings settings, TopicCatalog topics, List<String> issued, Instant killedAt,
            Instant backAt) {
        Map<String, Incident> byId = onlyIncidentPerService(settings, topics).values().stream()
                .collect(Collectors.toMap(Incident::getId, Function.identity()));
        Set<String> absent = expectedCommands(settings, topics);
        issued.forEach(absent::remove);
        return "killed at " + killedAt + ", back at " + backAt + ", now " + Instant.now() + "; missing "
                + absent.size() + ": " + absent.stream().sorted().limit(40).map(id -> id + " (opened "
                + byId.get(id.substring(0, id.indexOf('/'))).getOpenedAt() + ")").toList();
    }

    private static Set<String> expectedCommands(KafkaSettings settings, TopicCatalog topics) {
        return onlyIncidentPerService(settings, topics).values().stream()
                .flatMap(incident -> COMMANDS_PER_INCIDENT.stream().map(suffix -> incident.getId() + "/" + suffix))
                .collect(Collectors.toCollection(java.util.HashSet::new));
    }

    private static Map<String, String> environment(TestKafka kafka, KafkaSettings settings, Path dir)
            throws IOException {
        Path runbooks = Files.writeString(dir.resolve("runbooks.yaml"), RUNBOOKS);
        Map<String, String> environment = new HashMap<>();
        environment.put("RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS", settings.bootstrapServers());
        environment.put("RUNSTREAM_KAFKA_TOPIC_PREFIX", settings.topicPrefix());
        environment.put("RUNSTREAM_KAFKA_PARTITIONS", Integer.toString(settings.partitions()));
        // The dead instance leaves the group when its session times out; shorter than the default 45 s so the
        // restarted one gets its tasks sooner. The crash semantics do not depend on it.
        environment.put("RUNSTREAM_KAFKA_CLIENT_SESSION_TIMEOUT_MS", "10000");
        environment.put("RUNSTREAM_HTTP_PORT", "0");
        environment.put("RUNSTREAM_STREAMS_APPLICATION_ID", kafka.uniqueId("processor"));
        environment.put("RUNSTREAM_STREAMS_STATE_DIR", dir.resolve("state").toString());
        environment.put("RUNSTREAM_STREAMS_PROCESSING_GUARANTEE", "exactly_once_v2");
        environment.put("RUNSTREAM_RUNBOOKS_FILE", runbooks.toString());
        return environment;
    }

    private static List<String> commandIds(KafkaSettings settings, TopicCatalog topics) {
        return CommittedRecords.read(settings.clientProperties(), topics.actionCommands().name(),
                topics.actionCommands().keySerde().deserializer(), topics.actionCommands().valueSerde().deserializer())
                .stream()
                .map(ConsumerRecord::value).map(ActionCommand::getCommandId).toList();
    }

    /** The incident of each service, failing if any service has more than one incident id. */
    private static Map<String, Incident> onlyIncidentPerService(KafkaSettings settings, TopicCatalog topics) {
        Map<String, Map<String, Incident>> idsByService = new HashMap<>();
        for (ConsumerRecord<String, Incident> record : CommittedRecords.read(settings.clientProperties(),
                topics.incidents().name(), topics.incidents().keySerde().deserializer(),
                topics.incidents().valueSerde().deserializer())) {
            idsByService.computeIfAbsent(record.value().getService(), s -> new HashMap<>())
                    .put(record.key(), record.value());
        }
        assertThat(idsByService).allSatisfy((service, ids) -> assertThat(ids.keySet())
                .as("incident ids of %s", service).hasSize(1));
        return idsByService.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().values().iterator().next()));
    }
}
