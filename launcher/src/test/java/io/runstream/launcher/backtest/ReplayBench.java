package io.runstream.launcher.backtest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serializer;

import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;

/**
 * One replay's speed without a broker, for profiling: {@code java -cp ... ReplayBench SERVICES MINUTES RUNS}, the
 * traffic of {@code BacktestSpeedTest} generated in memory.
 */
public final class ReplayBench {

    private static final String[] BUCKETS = {"0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
    private static final double[] BUCKET_SHARE = {0.50, 0.80, 0.95, 0.99, 1.0, 1.0};

    public static void main(String[] args) {
        int services = Integer.parseInt(args[0]);
        int minutes = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        TopicCatalog topics = new TopicCatalog(new TopicSettings("bench.", 1, (short) 1), RunstreamSerdes.avro());
        Instant from = Instant.parse("2026-11-30T00:00:00Z");
        List<RecordedHistory.Recorded> records = traffic(topics, services, minutes, from);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int run = 0; run < runs; run++) {
            long cpuBefore = threads.getCurrentThreadCpuTime();
            Replay.Outcome outcome = Replay.run("bench", RecordedHistory.of(records), topics, RulesFile.defaults(),
                    RunbooksFiles.load(null), from, from.plus(Duration.ofMinutes(minutes)));
            double seconds = outcome.took().toNanos() / 1e9;
            // CPU time as well: on a machine shared with other work, wall time says more about the others
            double cpu = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
            System.out.printf("run %d: %d records in %.2f s = %.0f records/s, %.0fx real time; CPU %.2f s = %.0f "
                    + "records per CPU-second; %d incidents, %d commands%n", run, outcome.records(), seconds,
                    outcome.records() / seconds, minutes * 60 / seconds, cpu, outcome.records() / cpu,
                    outcome.incidents().size(), outcome.commands().size());
        }
    }

    static List<RecordedHistory.Recorded> traffic(TopicCatalog topics, int services, int minutes, Instant from) {
        String topic = topics.metricSamples().name();
        Serializer<MetricSample> values = topics.metricSamples().valueSerde().serializer();
        int steps = minutes * 4;
        List<RecordedHistory.Recorded> records = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            Instant at = from.plus(Duration.ofSeconds(15L * step));
            double requests = 1500.0 * (step + 1);
            for (int s = 0; s < services; s++) {
                String service = "model-" + s;
                boolean failing = s % 50 == 0 && step > steps / 4 && step < steps / 2;
                double errors = failing ? 0.12 : 0.001;
                List<MetricSample> samples = new ArrayList<>();
                samples.add(sample(service, "http_requests_total", MetricKind.COUNTER,
                        Map.of("status", "200", "namespace", "ml-prod"), requests * (1 - errors), at));
                samples.add(sample(service, "http_requests_total", MetricKind.COUNTER,
                        Map.of("status", "500", "namespace", "ml-prod"), requests * errors, at));
                for (int b = 0; b < BUCKETS.length; b++) {
                    samples.add(sample(service, "http_request_duration_seconds_bucket", MetricKind.HISTOGRAM_BUCKET,
                            Map.of("le", BUCKETS[b], "namespace", "ml-prod"), requests * BUCKET_SHARE[b], at));
                }
                for (MetricSample sample : samples) {
                    records.add(new RecordedHistory.Recorded(topic, service.getBytes(StandardCharsets.UTF_8),
                            values.serialize(topic, sample), at.toEpochMilli()));
                }
            }
        }
        return records;
    }

    private static MetricSample sample(String service, String name, MetricKind kind, Map<String, String> labels,
            double value, Instant at) {
        return MetricSample.newBuilder().setName(name).setService(service).setLabels(labels).setKind(kind)
                .setValue(value).setTimestamp(at).build();
    }
}
