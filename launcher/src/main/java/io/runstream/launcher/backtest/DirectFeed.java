package io.runstream.launcher.backtest;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Feeds a record to a {@link TopologyTestDriver} the way its public {@code pipeInput} does, less the check that
 * comes first: for every record, {@code pipeInput} compiles each of the topology's twelve source topic names as a
 * regular expression to refuse an ambiguous input topic, which measured 42 % of a replay's CPU time at 1,000
 * services (docs/benchmarks.md). The replay sends each topic's first record through {@code pipeInput}, so a topic
 * the topology does not read is still refused, and the rest here. The two steps after the check
 * ({@code enqueueTaskRecord}, {@code completeAllProcessableWork}) are the driver's private methods, found once; when
 * a Kafka Streams version lacks them, {@link #available} is false and the replay uses {@code pipeInput}
 * ({@code ReplayTest} fails then, so that an upgrade does not lose the speed unnoticed).
 */
final class DirectFeed {

    private static final MethodHandle ENQUEUE;
    private static final MethodHandle COMPLETE;

    static {
        MethodHandle enqueue;
        MethodHandle complete;
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(TopologyTestDriver.class,
                    MethodHandles.lookup());
            enqueue = lookup.findVirtual(TopologyTestDriver.class, "enqueueTaskRecord", MethodType.methodType(
                    void.class, String.class, TopicPartition.class, long.class, byte[].class, byte[].class,
                    Headers.class));
            complete = lookup.findVirtual(TopologyTestDriver.class, "completeAllProcessableWork",
                    MethodType.methodType(void.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            enqueue = null;
            complete = null;
        }
        ENQUEUE = enqueue;
        COMPLETE = complete;
    }

    private DirectFeed() {
    }

    static boolean available() {
        return ENQUEUE != null && COMPLETE != null;
    }

    /** {@code partition}: the input topic's partition in the driver, which has one partition per topic: 0. */
    static void pipe(TopologyTestDriver driver, TopicPartition partition, byte[] key, byte[] value, long timestamp) {
        try {
            ENQUEUE.invokeExact(driver, partition.topic(), partition, timestamp, key, value,
                    (Headers) new RecordHeaders());
            COMPLETE.invokeExact(driver);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot feed a record to the test driver", e);
        }
    }
}
