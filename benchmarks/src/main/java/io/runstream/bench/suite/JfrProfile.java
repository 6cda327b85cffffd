package io.runstream.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.runstream.bench.ProcessorBenchmark;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording (the JDK's "profile" settings) of the processor's measured window only (from its first
 * processed sample to its last, so neither the load generator nor the start-up is in it), summarised by thread
 * and by where the stream thread's CPU samples fall: each sample is charged to the innermost frame outside the
 * JDK, by library or Runstream stage.
 */
final class JfrProfile implements ProcessorBenchmark.MeasuredWindow {

    /** Package prefixes to the name a reader knows them by; first match wins, so specific ones come first. */
    private static final List<Map.Entry<String, String>> OWNERS = List.of(
            Map.entry("io.runstream.processor.detection", "Runstream detection"),
            Map.entry("io.runstream.processor.correlation", "Runstream correlation"),
            Map.entry("io.runstream.processor.dedup", "Runstream dedup"),
            Map.entry("io.runstream.processor", "Runstream other stages"),
            Map.entry("io.runstream.schemas", "Runstream serdes (schemas module)"),
            Map.entry("io.runstream.avro", "Avro generated classes"),
            Map.entry("org.apache.avro", "Avro (encode/decode)"),
            Map.entry("org.rocksdb", "RocksDB (JNI)"),
            Map.entry("org.apache.kafka.streams.state", "Kafka Streams state stores"),
            Map.entry("org.apache.kafka.streams", "Kafka Streams runtime"),
            Map.entry("org.apache.kafka.clients.producer", "Kafka producer"),
            Map.entry("org.apache.kafka.clients.consumer", "Kafka consumer"),
            Map.entry("org.apache.kafka.common.record", "Kafka record batches"),
            Map.entry("org.apache.kafka", "Kafka common"),
            Map.entry("io.micrometer", "Micrometer"));

    /**
     * Shares in percent, largest first: of all CPU samples by thread (numbers and ids removed from thread names),
     * and of the stream thread's samples by owner and by sampled method.
     */
    record Summary(int samples, int streamThreadSamples, Map<String, Double> shareByThread,
            Map<String, Double> shareByOwner, Map<String, Double> topMethods, Path file) {
    }

    private final Recording recording;

    JfrProfile() {
        try {
            recording = new Recording(Configuration.getConfiguration("profile"));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("the JDK's profile settings cannot be read", e);
        }
    }

    @Override
    public void opened() {
        recording.start();
    }

    @Override
    public void closed() {
        recording.stop();
    }

    /** Writes the recording to {@code file} and summarises it. */
    Summary summarize(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        recording.dump(file);
        recording.close();
        return summarize(file, RecordingFile.readAllEvents(file));
    }

    private static Summary summarize(Path file, List<RecordedEvent> events) {
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> byOwner = new HashMap<>();
        Map<String, Integer> byMethod = new HashMap<>();
        int all = 0;
        int samples = 0;
        for (RecordedEvent event : events) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            all++;
            String thread = event.getThread("sampledThread") == null ? null
                    : event.getThread("sampledThread").getJavaName();
            byThread.merge(thread == null ? "(unnamed)" : thread.replaceAll("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}",
                    "").replaceAll("\\d+", "N"), 1, Integer::sum);
            if (thread == null || !thread.contains("StreamThread") || thread.contains("producer")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            RecordedFrame top = stack.getFrames().get(0);
            byMethod.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
            byOwner.merge(owner(stack), 1, Integer::sum);
        }
        return new Summary(all, samples, shares(byThread, all, 8), shares(byOwner, samples, 20),
                shares(byMethod, samples, 10), file);
    }

    private static String owner(RecordedStackTrace stack) {
        for (RecordedFrame frame : stack.getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
                continue;
            }
            for (Map.Entry<String, String> owner : OWNERS) {
                if (type.startsWith(owner.getKey())) {
                    return owner.getValue();
                }
            }
            return "other: " + type.substring(0, Math.max(0, type.lastIndexOf('.')));
        }
        return "JDK only (collections, I/O, locks)";
    }

    private static Map<String, Double> shares(Map<String, Integer> counts, int total, int limit) {
        Map<String, Double> shares = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(entry -> shares.put(entry.getKey(), Math.round(1000.0 * entry.getValue() / total) / 10.0));
        return shares;
    }
}
