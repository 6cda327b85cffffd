package io.runstream.schemas;

import java.util.regex.Pattern;

/**
 * How topics are named and sized in one deployment: a name prefix (so several Runstream installations,
 * or tests, share a cluster), the partition count of every topic (one count keeps co-partitioned joins
 * valid) and the replication factor.
 */
public record TopicSettings(String prefix, int partitions, short replicationFactor) {

    private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]*");

    public static final TopicSettings DEFAULTS = new TopicSettings("runstream.", 6, (short) 1);

    public TopicSettings {
        if (prefix == null || !LEGAL_PREFIX.matcher(prefix).matches() || prefix.length() > 100) {
            throw new IllegalArgumentException("topic prefix must be at most 100 of [a-zA-Z0-9._-], was '"
                    + prefix + "'");
        }
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("partitions must be 1..10000, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be >= 1, was " + replicationFactor);
        }
    }
}
