package io.runstream.bench.suite;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.runstream.avro.MetricSample;
import io.runstream.bench.SampleLoad;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;

/**
 * Throughput with 1 and with 2 stream-processor instances (one stream thread each, one application id, in this
 * JVM), exactly_once_v2. The instances run and hold their tasks before the samples are produced, so the figure
 * is processing, not a rebalance; it counts from the first processed sample to the last.
 */
final class InstanceScaling {

    private InstanceScaling() {
    }

    static double samplesPerSecond(EmbeddedKafkaBroker broker, int instances, int samples, int commitMs,
            Consumer<String> log) throws Exception {
        String prefix = "scale" + instances + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicCatalog topics = new TopicCatalog(new TopicSettings(prefix, 6, (short) 1), RunstreamSerdes.avro());
        ProcessorInstance.provision(broker, topics);
        List<MetricSample> load = samples(samples);
        String applicationId = prefix + "app";
        List<ProcessorInstance> running = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                running.add(new ProcessorInstance(broker, topics, applicationId, "exactly_once_v2", commitMs).start());
            }
            Waits.until(() -> running.stream().allMatch(ProcessorInstance::runningWithTasks), Duration.ofMinutes(2),
                    instances + " instances running with tasks");
            produce(broker, topics.metricSamples(), load);
            Waits.until(() -> processed(running) >= 1, Duration.ofMinutes(2), "the first sample processed");
            long start = System.nanoTime();
            // On a machine too busy to finish, the rate so far after 3 minutes rather than no figure.
            if (!Waits.within(() -> processed(running) >= samples, Duration.ofMinutes(3))) {
                log.accept(String.format(java.util.Locale.ROOT, "%.0f of %d samples processed in 3 minutes; the "
                        + "rate is of those", processed(running), samples));
            }
            double rate = processed(running) / Waits.secondsSince(start);
            log.accept(String.format(java.util.Locale.ROOT, "%d instance(s), exactly_once_v2: %,.0f samples/s",
                    instances, rate));
            return rate;
        } finally {
            running.forEach(ProcessorInstance::close);
        }
    }

    private static double processed(List<ProcessorInstance> instances) {
        return instances.stream().mapToDouble(ProcessorInstance::samplesProcessed).sum();
    }

    /** Built before anything is timed: the figure is the processor's, not the generator's. */
    static List<MetricSample> samples(int count) {
        SampleLoad load = new SampleLoad(100, Instant.now().minus(Duration.ofDays(2)));
        List<MetricSample> samples = new ArrayList<>(count);
        for (int step = 0; samples.size() < count; step++) {
            for (MetricSample sample : load.step(step)) {
                if (samples.size() < count) {
                    samples.add(sample);
                }
            }
        }
        return samples;
    }

    private static void produce(EmbeddedKafkaBroker broker, Topic<String, MetricSample> topic,
            List<MetricSample> samples) {
        Properties props = broker.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        try (KafkaProducer<String, MetricSample> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            for (MetricSample sample : samples) {
                producer.send(new ProducerRecord<>(topic.name(), null, sample.getTimestamp().toEpochMilli(),
                        sample.getService(), sample));
            }
            producer.flush();
        }
    }
}
