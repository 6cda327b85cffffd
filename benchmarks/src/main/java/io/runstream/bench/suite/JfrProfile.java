package io.runstream.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording (the JDK's "profile" settings) around one stage, summarised by where the stream thread's CPU
 * samples fall: each sample is charged to the innermost frame outside the JDK, by library or Runstream stage.
 */
final class JfrProfile {

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

    /** Shares of the stream threads' CPU samples, largest first, and how many samples there were. */
    record Summary(int samples, Map<String, Double> shareByOwner, Map<String, Double> topMethods, Path file) {
    }

    /** What the stage returned, and where its time went. */
    record Profiled<T>(T result, Summary summary) {
    }

    private JfrProfile() {
    }

    static <T> Profiled<T> record(Path file, Callable<T> stage) throws Exception {
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.start();
            T result = stage.call();
            recording.stop();
            Files.createDirectories(file.toAbsolutePath().getParent());
            recording.dump(file);
            return new Profiled<>(result, summarize(file));
        } catch (ParseException e) {
            throw new IllegalStateException("the JDK's profile settings did not parse", e);
        }
    }

    static Summary summarize(Path file) throws IOException {
        Map<String, Integer> byOwner = new HashMap<>();
        Map<String, Integer> byMethod = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                    || event.getThread("sampledThread") == null
                    || event.getThread("sampledThread").getJavaName() == null
                    || !event.getThread("sampledThread").getJavaName().contains("StreamThread")) {
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
        return new Summary(samples, shares(byOwner, samples, 20), shares(byMethod, samples, 10), file);
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
