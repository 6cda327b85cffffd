package io.runstream.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;

import io.runstream.common.config.DurationParser;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.launcher.backtest.BacktestReport;
import io.runstream.launcher.backtest.KafkaHistory;
import io.runstream.launcher.backtest.RecordedHistory;
import io.runstream.launcher.backtest.Replay;
import io.runstream.launcher.backtest.ReportHtml;
import io.runstream.launcher.backtest.ReportJson;
import io.runstream.launcher.backtest.ReportText;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RulesFileException;
import io.runstream.processor.rules.RulesFiles;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runstream backtest}: replays recorded history through the current configuration and a candidate one
 * (see {@link Replay}) and reports what the candidate would have done differently (see {@link BacktestReport}).
 * Reads a Kafka cluster, or the data directory a stopped {@code runstream run --kafka-data-dir DIR} left, with a
 * broker of its own on it; writes nothing to any topic. Exit codes: 0 a report was written, 1 the history could
 * not be read, 2 bad options or a configuration file with problems.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Replay recorded history through the current and a candidate rules/runbooks configuration, "
                + "in isolation and on compressed event time, and report what would have been different: incidents, "
                + "pages, actions, time to detect, incidents only one of them found."})
public final class BacktestCommand implements Callable<Integer> {

    @Option(names = "--rules", paramLabel = "FILE", description = "The candidate rules file (default: the current "
            + "rules).")
    Path rules;

    @Option(names = "--runbooks", paramLabel = "FILE", description = "The candidate runbooks file (default: the "
            + "current runbooks).")
    Path runbooks;

    @Option(names = "--current-rules", paramLabel = "FILE", description = "The rules in use (default: "
            + "RUNSTREAM_RULES_FILE, else the built-in rules).")
    Path currentRules;

    @Option(names = "--current-runbooks", paramLabel = "FILE", description = "The runbooks in use (default: "
            + "RUNSTREAM_RUNBOOKS_FILE, else the built-in runbooks).")
    Path currentRunbooks;

    @Option(names = "--from", required = true, paramLabel = "TIME", description = "Start of the range: "
            + "2026-12-01T00:00:00Z, 2026-12-01 (midnight UTC) or now-7d.")
    String from;

    @Option(names = "--to", defaultValue = "now", paramLabel = "TIME", description = "End of the range, exclusive "
            + "(default ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Read the history from this "
            + "Kafka cluster.")
    String bootstrapServers;

    @Option(names = "--kafka-data-dir", paramLabel = "DIR", description = "Read the history from the data directory "
            + "of a stopped 'runstream run --kafka-data-dir DIR' (a broker of its own is started on it).")
    Path kafkaDataDir;

    @Option(names = "--topic-prefix", defaultValue = "runstream.", description = "Topic prefix (default "
            + "${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--out", defaultValue = "backtest-report", paramLabel = "DIR", description = "Where report.json "
            + "and report.html go (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print the JSON report instead of the table.")
    boolean json;

    /** The environment the current configuration's defaults come from; a field so tests can give their own. */
    Map<String, String> environment = System.getenv();
    Clock clock = Clock.systemUTC();
    PrintStream stdout = System.out;

    @Override
    public Integer call() {
        if ((bootstrapServers == null) == (kafkaDataDir == null)) {
            System.err.println("Give exactly one of --bootstrap-servers HOST:PORT and --kafka-data-dir DIR.");
            return 2;
        }
        Instant start;
        Instant end;
        try {
            start = time(from);
            end = time(to);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (!end.isAfter(start)) {
            System.err.println("--to (" + end + ") must be after --from (" + start + ")");
            return 2;
        }
        Path currentRulesFile = currentRules != null ? currentRules : file(environment.get("RUNSTREAM_RULES_FILE"));
        Path currentRunbooksFile = currentRunbooks != null ? currentRunbooks
                : file(environment.get("RUNSTREAM_RUNBOOKS_FILE"));
        Path candidateRulesFile = rules != null ? rules : currentRulesFile;
        Path candidateRunbooksFile = runbooks != null ? runbooks : currentRunbooksFile;
        RulesFile currentRulesLoaded;
        Runbooks currentRunbooksLoaded;
        RulesFile candidateRulesLoaded;
        Runbooks candidateRunbooksLoaded;
        try {
            currentRulesLoaded = RulesFiles.load(currentRulesFile);
            currentRunbooksLoaded = RunbooksFiles.load(currentRunbooksFile);
            candidateRulesLoaded = RulesFiles.load(candidateRulesFile);
            candidateRunbooksLoaded = RunbooksFiles.load(candidateRunbooksFile);
        } catch (RulesFileException e) {
            e.problems().forEach(System.err::println);
            return 2;
        }
        TopicCatalog topics = new TopicCatalog(new TopicSettings(prefix, 1, (short) 1), RunstreamSerdes.avro());
        Replay.Outcome current;
        Replay.Outcome candidate;
        Duration took;
        ExecutorService second = Executors.newSingleThreadExecutor(task -> new Thread(task, "backtest-candidate"));
        try (HistorySource source = openHistory()) {
            RecordedHistory history = new KafkaHistory(source.clientProperties(), topics, start, end);
            long began = System.nanoTime();
            // independent runs (own driver, state and read of the history): side by side, one per core
            Future<Replay.Outcome> candidateRun = second.submit(() -> Replay.run("candidate", history, topics,
                    candidateRulesLoaded, candidateRunbooksLoaded, start, end));
            current = Replay.run("current", history, topics, currentRulesLoaded, currentRunbooksLoaded, start, end);
            candidate = candidateRun.get();
            took = Duration.ofNanos(System.nanoTime() - began);
        } catch (ExecutionException e) {
            return unreadable(e.getCause());
        } catch (KafkaException | IllegalStateException e) {
            return unreadable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            second.shutdownNow();
        }
        BacktestReport report = BacktestReport.compare(start, end, took,
                new BacktestReport.Config("current", name(currentRulesFile), name(currentRunbooksFile)), current,
                new BacktestReport.Config("candidate", name(candidateRulesFile), name(candidateRunbooksFile)),
                candidate);
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("report.json"), ReportJson.of(report), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("report.html"), ReportHtml.of(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("cannot write the report to " + out + ": " + e.getMessage());
            return 1;
        }
        if (json) {
            stdout.println(ReportJson.of(report));
        } else {
            ReportText.print(report, stdout);
            stdout.println();
            stdout.println("report: " + out.resolve("report.html") + " and " + out.resolve("report.json"));
        }
        stdout.flush();
        return 0;
    }

    private static int unreadable(Throwable e) {
        if (e instanceof KafkaException || e instanceof IllegalStateException) {
            System.err.println("cannot read the recorded history: " + e.getMessage());
            return 1;
        }
        throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }

    /** Where the history is read from, open for as long as the replays read it. */
    private interface HistorySource extends AutoCloseable {
        Properties clientProperties();

        @Override
        void close();
    }

    private HistorySource openHistory() {
        if (bootstrapServers != null) {
            Properties props = new Properties();
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            return new HistorySource() {
                @Override
                public Properties clientProperties() {
                    return props;
                }

                @Override
                public void close() {
                }
            };
        }
        if (!Files.isDirectory(kafkaDataDir)) {
            throw new IllegalStateException(kafkaDataDir + " is not a directory");
        }
        // the broker's own lock refuses a data directory a running broker holds: stop 'runstream run' first
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDirectory(kafkaDataDir).build();
        try {
            broker.start();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return new HistorySource() {
            @Override
            public Properties clientProperties() {
                return broker.clientProperties();
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }

    private Instant time(String text) {
        String trimmed = text.trim();
        if (trimmed.equals("now")) {
            return clock.instant();
        }
        if (trimmed.startsWith("now-")) {
            return clock.instant().minus(DurationParser.parse(trimmed.substring(4)));
        }
        try {
            return trimmed.length() == 10 ? LocalDate.parse(trimmed).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time; write 2026-12-01T00:00:00Z, "
                    + "2026-12-01, now or now-7d");
        }
    }

    private static Path file(String value) {
        return value == null || value.isBlank() ? null : Path.of(value.trim());
    }

    private static String name(Path file) {
        return file == null ? "built-in" : file.toString();
    }
}
