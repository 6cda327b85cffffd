package io.runstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Medians of the runs, ratios to the broker's own rates, and the machine they ran on. */
final class Report {

    private Report() {
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void print(Map<String, List<Double>> rates, ProcessorBenchmark.Options options) {
        double consume = median(rates.get("broker consume"));
        System.out.println();
        System.out.printf("%d samples, %d services, %d partitions, %d runs, topology %s; medians:%n",
                options.samples(), options.services(), options.partitions(), options.runs(), options.topology());
        rates.forEach((name, values) -> System.out.printf("  %-16s %,10.0f /s  (%.2f of broker consume)%n", name,
                median(values), median(values) / consume));
        System.out.println("machine: " + machine());
    }

    static void write(Map<String, List<Double>> rates, ProcessorBenchmark.Options options) throws IOException {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("benchmark", "processor");
        results.put("machine", machine());
        results.put("options", options.toString());
        Map<String, Object> figures = new LinkedHashMap<>();
        rates.forEach((name, values) -> figures.put(name, Map.of("median_per_second", Math.round(median(values)),
                "runs", values.stream().map(Math::round).toList())));
        results.put("figures", figures);
        Path out = options.out();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), results);
        System.out.println("results written to " + out);
    }

    static String machine() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.availableProcessors() + " cores, max heap " + runtime.maxMemory() / (1024 * 1024) + " MiB, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }
}
