package io.runstream.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point: {@code java -jar benchmarks/target/benchmarks.jar NAME [options]}. Each benchmark starts what it
 * needs (a real broker from the Kafka jars, on 127.0.0.1), prints its figures, and writes a results file.
 */
public final class Benchmarks {

    private interface Benchmark {
        void run(String[] args) throws Exception;
    }

    private static final Map<String, Benchmark> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("processor", ProcessorBenchmark::main);
        BENCHMARKS.put("latency", LatencyBenchmark::main);
        BENCHMARKS.put("suite", io.runstream.bench.suite.Suite::main);
        BENCHMARKS.put("crash-run", CrashRun::main);
        BENCHMARKS.put("worker-start", WorkerStartBenchmark::main);
    }

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !BENCHMARKS.containsKey(args[0])) {
            System.err.println("usage: benchmarks.jar " + String.join("|", BENCHMARKS.keySet()) + " [options]");
            System.exit(2);
        }
        BENCHMARKS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length));
    }
}
