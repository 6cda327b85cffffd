package io.runstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * How big the processor's state is, read from outside it: each store's files under the state directory (summed
 * over its tasks; RocksDB's SST files and logs) and each topic's bytes on the broker (summed over partitions), so a
 * long run shows whether stores and changelogs stay flat.
 */
final class StateSizes {

    private StateSizes() {
    }

    /**
     * MiB on disk per store: {@code <stateDir>/<applicationId>/<task>/rocksdb/<store>} for key-value stores and
     * {@code <stateDir>/<applicationId>/<task>/<store>} for segmented ones.
     */
    static Map<String, Double> storesMib(Path applicationStateDir) {
        Map<String, Double> sizes = new TreeMap<>();
        if (!Files.isDirectory(applicationStateDir)) {
            return sizes;
        }
        try (Stream<Path> files = Files.walk(applicationStateDir)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                Path relative = applicationStateDir.relativize(file);
                if (relative.getNameCount() < 3) {
                    return; // a task's checkpoint or lock file
                }
                String store = relative.getName(1).toString().equals("rocksdb") && relative.getNameCount() > 3
                        ? relative.getName(2).toString() : relative.getName(1).toString();
                sizes.merge(store, mib(sizeOf(file)), Double::sum);
            });
        } catch (IOException | UncheckedIOException e) {
            // a task directory deleted by a rebalance while walking: this sample is partial, the next one is not
            sizes.put("unreadable", -1.0);
        }
        sizes.replaceAll((store, size) -> Math.round(size * 10) / 10.0);
        return sizes;
    }

    /** MiB on the broker per topic whose name starts with {@code prefix} (prefix removed), all partitions. */
    static Map<String, Double> topicsMib(Admin admin, int brokerId, String prefix) throws Exception {
        Map<String, Double> sizes = new TreeMap<>();
        Map<String, LogDirDescription> dirs = admin.describeLogDirs(java.util.List.of(brokerId)).allDescriptions()
                .get().get(brokerId);
        for (LogDirDescription dir : dirs.values()) {
            for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                String topic = replica.getKey().topic();
                if (topic.startsWith(prefix)) {
                    sizes.merge(topic.substring(prefix.length()), mib(replica.getValue().size()), Double::sum);
                }
            }
        }
        sizes.replaceAll((topic, size) -> Math.round(size * 10) / 10.0);
        return sizes;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // compacted away between listing and reading
        }
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
