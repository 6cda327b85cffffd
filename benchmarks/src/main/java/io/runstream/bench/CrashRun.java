package io.runstream.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.Incident;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicProvisioner;
import io.runstream.schemas.TopicSettings;

/**
 * The longer fault runs of docs/reliability.md: the stream processor (exactly_once_v2, its own JVM, built-in
 * rules and runbooks) under a steady load of samples and alerts for {@code --minutes}, killed with SIGKILL every
 * {@code --kill-every-minutes} and started again on the same state directory. At the end the load stops, the
 * processor drains, and every alert's incident and commands are counted with read_committed readers:
 * duplicates and losses must both be 0. Heap, RSS, RocksDB memory, store sizes on disk and topic sizes on the
 * broker are sampled every 10 s.
 *
 * <p>The soak adds {@code --resolve-after-minutes N} (each alert resolves N minutes after it fired, so incidents
 * open, escalate and resolve all along) and {@code --retention D} (the rules' {@code correlation.retention}, so
 * resolved incidents age out within the run and the stores can be seen to stay flat); the summary gives the RSS
 * slope per hour after {@code --warm-up-minutes}.
 *
 * <p>Options: {@code --minutes 30 --kill-every-minutes 5 --sample-rate 31690 --alert-rate 10 --services 1000
 * --partitions 6 --processor-heap 1g --resolve-after-minutes 0 --retention (built-in) --warm-up-minutes 20
 * --out docs/reliability/crash-run.json}, and {@code --env K=V,K=V} (the processor's environment, e.g.
 * {@code LD_PRELOAD} for another allocator) and {@code --jvm-options "-XX:+AlwaysPreTouch ..."} (its JVM flags
 * beside the heap's).
 */
public final class CrashRun {

    /**
     * What the built-in runbooks issue for a P1 HighLatency incident (a critical alert, runbook 001's decision
     * tree): the on-call channel message, the on-call page and the scale-on-saturation runbook's SCALE at once;
     * the tech lead's page 5 minutes later unless mitigated (nothing mitigates here: no worker reports) and the
     * VP's 15 minutes later unless resolved (timers, so with a kill every few minutes many come due while the
     * processor is dead); a status update every 10 minutes (ids carry the due time; counted for duplicates
     * only); on resolution a close-out per channel told (counted, and checked for duplicates).
     */
    private static final List<String> IMMEDIATE_COMMANDS = List.of("escalation/notify-oncall-channel",
            "escalation/page-on-call", "scale-on-saturation/scale-up");
    private static final Map<String, Duration> TIMED_COMMANDS = Map.of(
            "escalation/page-tech-lead", Duration.ofMinutes(5),
            "escalation/page-vp-engineering", Duration.ofMinutes(15));
    /** The channel each escalation step tells, as the close-out command ids name it. */
    private static final Map<String, String> CHANNELS = Map.of(
            "escalation/notify-oncall-channel", "slack/ml-ops-oncall",
            "escalation/page-on-call", "pagerduty/on-call",
            "escalation/page-tech-lead", "pagerduty/tech-lead",
            "escalation/page-vp-engineering", "pagerduty/vp-engineering");
    /** Punctuation, commit and a restart's catch-up: a due timer or a resolution counts as late after this. */
    private static final Duration SLACK = Duration.ofSeconds(90);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(15);
    /** Split, detection's application id is the processor's plus this. */
    private static final String DETECTION_SUFFIX = "-detection";
    /** A restart on a busy machine: EOS wipes and restores every store after SIGKILL, then rebalances. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern BLOCK_CACHE = Pattern.compile(
            "^runstream_rocksdb_block_cache_usage_bytes(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
    private static final Pattern MEMTABLES = Pattern.compile(
            "^runstream_rocksdb_memtables_bytes(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);

    private CrashRun() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Duration runFor = Duration.ofMinutes(Long.parseLong(options.getOrDefault("minutes", "30")));
        Duration killEvery = Duration.ofMinutes(Long.parseLong(options.getOrDefault("kill-every-minutes", "5")));
        int sampleRate = Integer.parseInt(options.getOrDefault("sample-rate", "31690"));
        int alertRate = Integer.parseInt(options.getOrDefault("alert-rate", "10"));
        int services = Integer.parseInt(options.getOrDefault("services", "1000"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "6"));
        String heap = options.getOrDefault("processor-heap", "1g");
        Duration resolveAfter = Duration.ofMinutes(Long.parseLong(options.getOrDefault("resolve-after-minutes", "0")));
        String retention = options.getOrDefault("retention", "");
        Duration warmUp = Duration.ofMinutes(Long.parseLong(options.getOrDefault("warm-up-minutes", "20")));
        Path out = Path.of(options.getOrDefault("out", "docs/reliability/crash-run.json"));

        Path work = Files.createTempDirectory("runstream-crash-run-");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run", "stream processor kill -9 under steady load, exactly_once_v2"
                + (resolveAfter.isZero() ? "" : ", incidents resolving and aging out (soak)"));
        report.put("commit", gitCommit());
        report.put("started", Instant.now().toString());
        report.put("machine", Report.machine() + ", " + Runtime.getRuntime().availableProcessors() + " cores seen");
        Map<String, Object> chosen = new LinkedHashMap<>();
        chosen.put("minutes", runFor.toMinutes());
        chosen.put("kill_every_minutes", killEvery.toMinutes());
        chosen.put("sample_rate_per_s", sampleRate);
        chosen.put("alert_rate_per_s", alertRate);
        chosen.put("services", services);
        chosen.put("partitions", partitions);
        chosen.put("processor_heap", heap);
        chosen.put("resolve_after_minutes", resolveAfter.toMinutes());
        chosen.put("retention", retention.isEmpty() ? "built-in" : retention);
        chosen.put("warm_up_minutes", warmUp.toMinutes());
        chosen.put("env", options.getOrDefault("env", ""));
        chosen.put("jvm_options", options.getOrDefault("jvm-options", ""));
        report.put("options", chosen);
        List<Map<String, Object>> timeline = new ArrayList<>();
        List<Map<String, Object>> crashes = new ArrayList<>();
        report.put("load_average_at_start", loadAverage());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDirectory(work.resolve("kafka"))
                .build().start()) {
            String prefix = "crashrun-" + UUID.randomUUID().toString().substring(0, 8) + ".";
            TopicCatalog topics = new TopicCatalog(new TopicSettings(prefix, partitions, (short) 1),
                    RunstreamSerdes.avro());
            try (Admin admin = Admin.create(broker.clientProperties())) {
                new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(topics.specs());
            }
            String applicationId = prefix + "processor";
            Map<String, String> environment = new HashMap<>();
            environment.put("RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            environment.put("RUNSTREAM_KAFKA_TOPIC_PREFIX", prefix);
            environment.put("RUNSTREAM_KAFKA_PARTITIONS", Integer.toString(partitions));
            // A killed member leaves the group when its session expires: 10 s instead of 45 s shortens each outage.
            environment.put("RUNSTREAM_KAFKA_CLIENT_SESSION_TIMEOUT_MS", "10000");
            environment.put("RUNSTREAM_HTTP_PORT", "0");
            environment.put("RUNSTREAM_STREAMS_APPLICATION_ID", applicationId);
            environment.put("RUNSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString());
            environment.put("RUNSTREAM_STREAMS_PROCESSING_GUARANTEE", "exactly_once_v2");
            if (!retention.isEmpty()) {
                environment.put("RUNSTREAM_RULES_FILE", rulesWithRetention(retention, work).toString());
            }
            Path stateDir = work.resolve("state").resolve(applicationId);
            // --env KEY=VALUE,KEY=VALUE: further processor settings, e.g. RUNSTREAM_STREAMS_ROCKSDB_WRITE_BUFFER_BYTES
            for (String setting : options.getOrDefault("env", "").split(",")) {
                if (setting.contains("=")) {
                    environment.put(setting.substring(0, setting.indexOf('=')).trim(),
                            setting.substring(setting.indexOf('=') + 1).trim());
                }
            }
            List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap, "-Xms" + heap));
            for (String flag : options.getOrDefault("jvm-options", "").trim().split("\\s+")) {
                if (!flag.isEmpty()) {
                    jvm.add(flag);
                }
            }
            int incarnation = 1;
            ProcessorChild processor = ProcessorChild.start(environment, jvm, work.resolve("processor-1.log"));
            processor.awaitReady(READY_TIMEOUT);
            System.out.printf("processor ready (pid %d); load: %,d samples/s over %d services, %d alerts/s;"
                    + " kill -9 every %d min for %d min; work dir %s%n", processor.pid(), sampleRate, services,
                    alertRate, killEvery.toMinutes(), runFor.toMinutes(), work);
            Instant start = Instant.now();
            Instant end = start.plus(runFor);
            Instant nextKill = start.plus(killEvery);
            Instant nextSample = start;
            try (SteadyPipelineLoad load = new SteadyPipelineLoad(broker.clientProperties(), topics.metricSamples(),
                    topics.alerts(), sampleRate, alertRate, services, resolveAfter)) {
                load.start();
                while (Instant.now().isBefore(end)) {
                    if (!Instant.now().isBefore(nextSample)) {
                        timeline.add(point(start, processor, load, broker, applicationId, topics, stateDir, prefix));
                        nextSample = nextSample.plusSeconds(10);
                    }
                    if (!Instant.now().isBefore(nextKill) && nextKill.isBefore(end)) {
                        Instant killedAt = Instant.now();
                        processor.kill();
                        incarnation++;
                        processor = ProcessorChild.start(environment, jvm,
                                work.resolve("processor-" + incarnation + ".log"));
                        processor.awaitReady(READY_TIMEOUT);
                        Duration down = Duration.between(killedAt, Instant.now());
                        crashes.add(Map.of("at_s", Duration.between(start, killedAt).toSeconds(),
                                "ready_again_after_ms", down.toMillis()));
                        System.out.printf("%5ds  kill -9, ready again after %.1f s%n",
                                Duration.between(start, killedAt).toSeconds(), down.toMillis() / 1000.0);
                        nextKill = nextKill.plus(killEvery);
                    }
                    Thread.sleep(200);
                }
                load.stop();
                Instant stoppedAt = Instant.now();
                report.put("samples_in", load.samplesSent());
                report.put("alerts_in", load.alertServices().size());
                report.put("resolutions_in", load.resolvedServices().size());
                report.put("failed_sends", load.failedSends());
                report.put("sender_late_ticks", load.lateTicks());
                report.put("achieved_sample_rate_per_s", load.samplesSent() / (double) runFor.toSeconds());
                report.put("load_average_at_end_of_load", loadAverage());
                Duration retained = retention.isEmpty() ? Duration.ofDays(30)
                        : io.runstream.common.config.DurationParser.parse(retention);
                Verdict verdict = drain(broker, topics, applicationId, load.alertServices(), load.resolvedServices(),
                        retained, processor);
                report.put("drain_seconds", Duration.between(stoppedAt, Instant.now()).toSeconds());
                report.putAll(verdict.asMap());
                System.out.println(verdict);
            }
            timeline.add(point(start, processor, null, broker, applicationId, topics, stateDir, prefix));
            processor.kill();
        }
        report.put("summary", Summary.of(timeline, crashes, warmUp));
        report.put("crashes", crashes);
        report.put("timeline", timeline);
        report.put("finished", Instant.now().toString());
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
        System.out.println("report written to " + out + "; processor logs in " + work);
    }

    /** Waits until the processor has consumed every sample and issued every expected command, then counts. */
    private static Verdict drain(EmbeddedKafkaBroker broker, TopicCatalog topics, String applicationId,
            Set<String> alertServices, Map<String, Instant> resolutions, Duration retention,
            ProcessorChild processor) throws Exception {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        Verdict verdict;
        do {
            Thread.sleep(5000);
            verdict = count(broker, topics, alertServices, resolutions, retention);
            long lag = samplesLag(broker, applicationId, topics.metricSamples().name());
            System.out.printf("draining: samples lag %,d, commands %,d of %,d expected, unresolved %,d, undeleted %,d,"
                    + " RSS %s%n", lag, verdict.distinctCommands, verdict.expectedCommands, verdict.unresolved,
                    verdict.undeleted, mib(processor.rssBytes().orElse(-1)));
            if (lag == 0 && verdict.lostCommands == 0 && verdict.lostIncidents == 0 && verdict.unresolved == 0
                    && verdict.undeleted == 0) {
                // Nothing more is expected; a moment longer shows that nothing more (a late duplicate) arrives.
                Thread.sleep(5000);
                return count(broker, topics, alertServices, resolutions, retention);
            }
        } while (System.nanoTime() < deadline);
        return verdict;
    }

    private static Verdict count(EmbeddedKafkaBroker broker, TopicCatalog topics, Set<String> alertServices,
            Map<String, Instant> resolutions, Duration retention) {
        Map<String, Set<String>> incidentsByService = new HashMap<>();
        Map<String, Instant> openedAt = new HashMap<>();
        // the last record of each incident id: its status, or DELETED for the tombstone of its retention
        Map<String, String> lastState = new HashMap<>();
        readCommitted(broker, topics.incidents(), (key, incident) -> {
            if (incident == null) {
                lastState.put(key, "DELETED");
                return;
            }
            incidentsByService.computeIfAbsent(incident.getService(), s -> new HashSet<>()).add(key);
            openedAt.put(key, incident.getOpenedAt());
            lastState.put(key, incident.getState().toString());
        });
        Instant now = Instant.now();
        Map<String, Integer> copies = new HashMap<>();
        readCommitted(broker, topics.actionCommands(), (key, command) -> copies.merge(command.getCommandId(), 1,
                Integer::sum));
        Verdict v = new Verdict();
        v.alertsIn = alertServices.size();
        Set<String> expected = new HashSet<>();
        Set<String> allowed = new HashSet<>();
        for (String service : alertServices) {
            Set<String> ids = incidentsByService.getOrDefault(service, Set.of());
            if (ids.isEmpty()) {
                v.lostIncidents++;
            }
            v.duplicateIncidents += Math.max(0, ids.size() - 1);
            Instant resolvedAt = resolutions.get(service);
            for (String id : ids) {
                IMMEDIATE_COMMANDS.forEach(suffix -> expected.add(id + "/" + suffix));
                for (Map.Entry<String, Duration> timed : TIMED_COMMANDS.entrySet()) {
                    Instant due = openedAt.get(id).plus(timed.getValue());
                    boolean resolvedFirst = resolvedAt != null && resolvedAt.isBefore(due.minus(SLACK));
                    if (!resolvedFirst) {
                        allowed.add(id + "/" + timed.getKey());
                        boolean resolvedAround = resolvedAt != null && resolvedAt.isBefore(due.plus(SLACK));
                        if (due.plus(SLACK).isBefore(now) && !resolvedAround) {
                            expected.add(id + "/" + timed.getKey());
                        }
                    }
                }
                String state = lastState.get(id);
                if (resolvedAt != null && resolvedAt.plus(SLACK).isBefore(now)) {
                    v.resolutionsExpected++;
                    if (!"RESOLVED".equals(state) && !"DELETED".equals(state)) {
                        v.unresolved++;
                    }
                }
                if (resolvedAt != null && resolvedAt.plus(retention).plus(SLACK).isBefore(now)) {
                    v.deletionsExpected++;
                    if (!"DELETED".equals(state)) {
                        v.undeleted++;
                    }
                }
                if ("DELETED".equals(state)) {
                    v.deleted++;
                    if (resolvedAt == null || resolvedAt.plus(retention).isAfter(now)) {
                        v.deletedEarly++;
                    }
                }
            }
        }
        allowed.addAll(expected);
        // a resolution closes out every channel told in the episode (Incident.notifiedChannels): one per notice
        for (String service : resolutions.keySet()) {
            // due once the resolution is past the slack; allowed as soon as the resolution was sent
            Set<String> closeOuts = resolutions.get(service).plus(SLACK).isBefore(now) ? expected : allowed;
            for (String id : incidentsByService.getOrDefault(service, Set.of())) {
                CHANNELS.forEach((step, channel) -> {
                    if (copies.containsKey(id + "/" + step)) {
                        closeOuts.add(id + "/close-out/" + channel);
                    }
                });
            }
        }
        v.incidentsOut = incidentsByService.values().stream().mapToInt(Set::size).sum();
        v.commandRecordsOut = copies.values().stream().mapToLong(Integer::longValue).sum();
        v.distinctCommands = copies.size();
        v.expectedCommands = expected.size();
        v.duplicateCommands = copies.values().stream().mapToLong(n -> n - 1).sum();
        v.lostCommands = expected.stream().filter(id -> !copies.containsKey(id)).count();
        v.pagesExpected = expected.stream().filter(id -> TIMED_COMMANDS.keySet().stream().anyMatch(id::endsWith))
                .count();
        v.statusUpdates = copies.keySet().stream().filter(id -> id.contains("/status-update/")).count();
        v.closeOuts = copies.keySet().stream().filter(id -> id.contains("/close-out/")).count();
        v.closeOutsExpected = expected.stream().filter(id -> id.contains("/close-out/")).count();
        allowed.addAll(expected);
        v.unexpectedCommands = copies.keySet().stream().filter(id -> !allowed.contains(id)
                && !id.contains("/status-update/")).count();
        copies.keySet().stream().filter(id -> !allowed.contains(id) && !id.contains("/status-update/"))
                .limit(5).forEach(id -> v.unexpectedExamples.add(id));
        return v;
    }

    /** The built-in rules with another correlation.retention, written into the run's directory. */
    private static Path rulesWithRetention(String retention, Path work) throws java.io.IOException {
        String rules;
        try (var in = CrashRun.class.getResourceAsStream("/default-rules.yaml")) {
            rules = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String changed = rules.replaceFirst("(?m)^  retention: .*$", "  retention: " + retention);
        if (io.runstream.common.config.DurationParser.parse(retention).compareTo(Duration.ofMinutes(30)) < 0) {
            // a short check run: the rules refuse a retention below the reopen window (30 m built in)
            changed = changed.replaceFirst("(?m)^  reopenWindow: .*$", "  reopenWindow: " + retention);
        }
        if (changed.equals(rules)) {
            throw new IllegalStateException("no correlation retention line in the built-in rules");
        }
        Path file = work.resolve("rules.yaml");
        Files.writeString(file, changed);
        return file;
    }

    private static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            return git.waitFor() == 0 ? out : "unknown";
        } catch (java.io.IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static <V> void readCommitted(EmbeddedKafkaBroker broker, Topic<String, V> topic,
            java.util.function.BiConsumer<String, V> each) {
        Properties props = broker.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < endOffsets.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> each.accept(r.key(), r.value()));
            }
        }
    }

    /**
     * The samples' lag of the application that reads them: split (the processor's default), detection's
     * ({@code <applicationId>-detection}); single, the one application's.
     */
    private static long samplesLag(EmbeddedKafkaBroker broker, String applicationId, String topic)
            throws Exception {
        String detection = applicationId + DETECTION_SUFFIX;
        return lag(broker, hasOffsets(broker, detection, topic) ? detection : applicationId, topic);
    }

    private static boolean hasOffsets(EmbeddedKafkaBroker broker, String group, String topic) throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().keySet().stream()
                    .anyMatch(partition -> partition.topic().equals(topic));
        }
    }

    /** How far the processor's committed position on a topic is behind its end, over all partitions. */
    private static long lag(EmbeddedKafkaBroker broker, String group, String topic) throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long lag = 0;
            for (var entry : admin.listOffsets(latest).all().get().entrySet()) {
                OffsetAndMetadata position = committed.get(entry.getKey());
                lag += entry.getValue().offset() - (position == null ? 0 : position.offset());
            }
            return lag;
        }
    }

    private static Map<String, Object> point(Instant start, ProcessorChild processor, SteadyPipelineLoad load,
            EmbeddedKafkaBroker broker, String applicationId, TopicCatalog topics, Path stateDir, String prefix) {
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("t_s", Duration.between(start, Instant.now()).toSeconds());
        // -1: not readable at that moment (the process restarting, or its /metrics slower than 5 s)
        point.put("rss_mib", processor.rssBytes().stream().map(b -> b / (1024 * 1024)).findFirst().orElse(-1));
        String metrics = processor.metricsText().orElse("");
        point.put("heap_used_mib", toMib(ProcessorChild.sum(metrics, ProcessorChild.HEAP)));
        point.put("rocksdb_block_cache_mib", toMib(ProcessorChild.sum(metrics, BLOCK_CACHE)));
        point.put("rocksdb_memtables_mib", toMib(ProcessorChild.sum(metrics, MEMTABLES)));
        if (load != null) {
            point.put("samples_in", load.samplesSent());
            point.put("alerts_in", load.alertServices().size());
            point.put("resolutions_in", load.resolvedServices().size());
        }
        try {
            point.put("samples_lag", samplesLag(broker, applicationId, topics.metricSamples().name()));
        } catch (Exception e) {
            point.put("samples_lag", "unknown: " + e.getMessage());
        }
        Map<String, Double> stores = StateSizes.storesMib(stateDir);
        // Split (streams.topology), detection's stores live under its own application id.
        StateSizes.storesMib(stateDir.resolveSibling(stateDir.getFileName() + DETECTION_SUFFIX))
                .forEach((store, mib) -> stores.merge(store, mib, Double::sum));
        point.put("state_dir_mib", Math.round(stores.values().stream().mapToDouble(Double::doubleValue).sum()));
        point.put("stores_mib", stores);
        try (Admin admin = Admin.create(broker.clientProperties())) {
            point.put("topics_mib", StateSizes.topicsMib(admin, 1, prefix));
        } catch (Exception e) {
            point.put("topics_mib", "unknown: " + e.getMessage());
        }
        point.put("load_average", loadAverage());
        if (((Number) point.get("t_s")).longValue() % 60 < 10) {
            Map<String, Object> brief = new LinkedHashMap<>(point);
            brief.remove("stores_mib");
            brief.remove("topics_mib");
            System.out.println(brief);
        }
        return point;
    }

    private static long toMib(java.util.OptionalLong bytes) {
        return bytes.isPresent() ? bytes.getAsLong() / (1024 * 1024) : -1;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "?" : bytes / (1024 * 1024) + " MiB";
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            values.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return values;
    }

    /** What came out against what went in. */
    private static final class Verdict {
        long alertsIn;
        long incidentsOut;
        long lostIncidents;
        long duplicateIncidents;
        long commandRecordsOut;
        long distinctCommands;
        long expectedCommands;
        long duplicateCommands;
        long lostCommands;
        long unexpectedCommands;
        long pagesExpected;
        long statusUpdates;
        long closeOuts;
        long closeOutsExpected;
        long resolutionsExpected;
        long unresolved;
        long deletionsExpected;
        long undeleted;
        long deleted;
        long deletedEarly;
        final List<String> unexpectedExamples = new ArrayList<>();

        Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("incidents_out", incidentsOut);
            map.put("incidents_lost", lostIncidents);
            map.put("incidents_duplicated", duplicateIncidents);
            map.put("action_command_records_out", commandRecordsOut);
            map.put("action_commands_expected", expectedCommands);
            map.put("action_commands_duplicated", duplicateCommands);
            map.put("action_commands_lost", lostCommands);
            map.put("action_commands_unexpected", unexpectedCommands);
            map.put("timed_pages_expected", pagesExpected);
            map.put("status_updates_out", statusUpdates);
            map.put("close_out_commands_out", closeOuts);
            map.put("close_out_commands_expected", closeOutsExpected);
            map.put("unexpected_command_examples", unexpectedExamples);
            map.put("resolutions_expected", resolutionsExpected);
            map.put("incidents_not_resolved", unresolved);
            map.put("deletions_expected", deletionsExpected);
            map.put("incidents_not_deleted", undeleted);
            map.put("incidents_deleted", deleted);
            map.put("incidents_deleted_early", deletedEarly);
            return map;
        }

        @Override
        public String toString() {
            return "alerts in " + alertsIn + ", incidents out " + incidentsOut + " (lost " + lostIncidents
                    + ", duplicated " + duplicateIncidents + "); action commands out " + commandRecordsOut
                    + " of " + expectedCommands + " expected (duplicated " + duplicateCommands + ", lost "
                    + lostCommands + ", unexpected " + unexpectedCommands + "); of them timed pages expected "
                    + pagesExpected + ", status updates " + statusUpdates + ", close-outs " + closeOuts
                    + " (" + closeOutsExpected + " expected)"
                    + "; resolved: " + (resolutionsExpected - unresolved) + " of " + resolutionsExpected
                    + " expected; deleted past retention: " + deleted + " (" + deletionsExpected + " expected, "
                    + undeleted + " not deleted, " + deletedEarly + " early)";
        }
    }
}
