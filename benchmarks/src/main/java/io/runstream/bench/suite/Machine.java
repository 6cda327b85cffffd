package io.runstream.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What the suite ran on: cores, memory, CPU, JDK, and the load average, read from /proc where Linux has it. */
final class Machine {

    private Machine() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", cpuModel().orElse("unknown"));
        machine.put("memory_mib", memoryMib().orElse(-1L));
        machine.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return machine;
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg prints them. */
    static String loadAverage() {
        return read("/proc/loadavg").map(line -> {
            String[] fields = line.trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }).orElse("unknown");
    }

    private static Optional<String> cpuModel() {
        return read("/proc/cpuinfo").flatMap(text -> text.lines().filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst());
    }

    private static Optional<Long> memoryMib() {
        return read("/proc/meminfo").flatMap(text -> text.lines().filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024).findFirst());
    }

    private static Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
