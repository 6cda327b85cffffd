package io.runstream.bench.ingest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * CPU time consumed so far, in nanoseconds: by this JVM (connector, broker and load client) and by a child
 * process (Alertmanager). On a shared machine wall-clock rates move with everyone else's load; CPU spent
 * per item is the steadier figure of what a path costs.
 */
final class CpuTime {

    /** Linux's USER_HZ, the unit of /proc/PID/stat times; 100 on every mainstream kernel configuration. */
    private static final long TICKS_PER_SECOND = 100;

    private CpuTime() {
    }

    static long thisJvm() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** User plus system time of another process, from /proc/PID/stat. */
    static LongSupplier ofProcess(long pid) {
        return () -> {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                return ticks * 1_000_000_000L / TICKS_PER_SECOND;
            } catch (IOException e) {
                return 0;
            }
        };
    }
}
