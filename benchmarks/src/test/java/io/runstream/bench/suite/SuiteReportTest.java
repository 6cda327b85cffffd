package io.runstream.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.bench.ProcessorBenchmark;
import io.runstream.bench.ingest.IngestComparison;
import io.runstream.bench.ingest.RunResult;

/** The report a suite run ends with, from figures made up here (no benchmark runs in the test command). */
class SuiteReportTest {

    @TempDir
    Path dir;

    @Test
    void writesTableJsonAndChartWithEveryGoalMarked() throws Exception {
        SuiteResults results = resultsOfAQuietRun();

        List<Figure> figures = FigureTable.from(results);
        SuiteReport.write(results, figures);

        String table = Files.readString(dir.resolve("latest.md"));
        assertThat(table).contains("| 2 ingest | alerts/s: connector webhook (acks=all) vs Alertmanager 0.25 API v2 | "
                + "100,000 | 27,000 (Alertmanager) | 3.70 | >= 2x Alertmanager | **met** |");
        assertThat(table).contains("| 4 processor | samples/s, exactly_once_v2, 1 instance, commit.interval.ms=100, "
                + "detection's application (split) | 63,000 | 400,000 (broker limit) | 0.16 | >= 0.6 of the broker "
                + "limit | **not met** |");
        assertThat(table).contains("processor streams.topology: split.");
        assertThat(table).contains("| 5 latency | p99 ms, same | 310 | 4.0 (Alertmanager) | 77.50 | p99 < 100 ms | **not met** |");
        assertThat(table).contains("load average before 0.50 0.40 0.30, after 1.90 1.20 0.60");
        assertThat(table).contains("| 40.0 % | Kafka Streams runtime |");

        JsonNode json = new ObjectMapper().readTree(dir.resolve("latest.json").toFile());
        assertThat(json.path("mode").asText()).isEqualTo("full");
        assertThat(json.path("figures")).hasSize(figures.size());
        assertThat(json.path("figures").get(3).path("goal_met").asBoolean()).isTrue();
        assertThat(json.path("machine").path("load_average_after").asText()).isEqualTo("1.90 1.20 0.60");

        BufferedImage chart = ImageIO.read(dir.resolve("latest.png").toFile());
        assertThat(chart.getWidth()).isEqualTo(1400);
        assertThat(chart.getHeight()).isEqualTo(640);
    }

    @Test
    void replacesOnlyTheLatestRunSectionOfTheBenchmarksPage() throws Exception {
        SuiteResults results = resultsOfAQuietRun();
        Path page = dir.resolve("benchmarks.md");
        Files.writeString(page, "# Benchmarks\n\nintro\n\n" + SuiteReport.PAGE_START + "\nan older run\n"
                + SuiteReport.PAGE_END + "\n\n## History\n\nkept\n");

        SuiteReport.updatePage(page, results, FigureTable.from(results));

        String text = Files.readString(page);
        assertThat(text).startsWith("# Benchmarks\n\nintro\n\n" + SuiteReport.PAGE_START + "\nStarted "
                + "2026-12-01T15:30:00Z, took 7.0 minutes, processor streams.topology: split.")
                .doesNotContain("an older run")
                .contains("| 4 processor | samples/s, exactly_once_v2, 1 instance, commit.interval.ms=100, detection's "
                        + "application (split) | 63,000 |")
                .contains("![throughput and latency](benchmarks/latest.png)")
                .endsWith(SuiteReport.PAGE_END + "\n\n## History\n\nkept\n");
    }

    private SuiteResults resultsOfAQuietRun() {
        SuiteResults r = new SuiteResults();
        r.settings = SuiteSettings.fullRun().with(dir, SuiteSettings.fullRun().stages(), "split");
        r.startedAt = "2026-12-01T15:30:00Z";
        r.wallSeconds = 420;
        r.machine = Map.of("cores", 2, "cpu", "AMD EPYC", "memory_mib", 24105, "jdk", "OpenJDK 17.0.15", "os",
                "Linux");
        r.loadBefore = "0.50 0.40 0.30";
        r.loadAfter = "1.90 1.20 0.60";
        r.limit = new BrokerLimit.Result(104, 204, 400_000, 12, 250_000, 4_800_000);
        RunResult run = new RunResult("run 1 connector webhook", 100_000, 7, 23, 1000, 0, 13.7);
        r.ingest = new IngestComparison.Figures(new IngestComparison.Median(100_000, 7.1, 23.3, 13.7),
                new IngestComparison.Median(27_000, 21.3, 146.9, 40.1),
                new IngestComparison.Median(251_000, 52.2, 197.2, 4.1), List.of(run));
        r.exactlyOnce.add(new ProcessorBenchmark.RunResult(400_000, 4_800_000, 63_000));
        r.atLeastOnce.add(new ProcessorBenchmark.RunResult(400_000, 4_800_000, 85_000));
        r.runstreamLatency = new LatencySummary(1500, 1500, 192, 310, 399);
        r.alertmanagerLatency = new LatencySummary(1500, 1500, 1.5, 4, 9);
        r.oneInstance = 60_000;
        r.twoInstances = 70_000;
        r.incidents = List.of(new IncidentScaling.Level(10, 300, 900, 1, 10, 2_000, 12, 500),
                new IncidentScaling.Level(1_000, 310, 950, 40, 1_000, 900, 11, 4_000),
                new IncidentScaling.Level(100_000, 320, 990, 45, 1_000, 800, 11, 5_000));
        r.profile = new JfrProfile.Summary(1000, 450, Map.of("StreamThread", 45.0), Map.of("Kafka Streams runtime",
                40.0), Map.of("org.apache.kafka.streams.processor.internals.PartitionGroup.nextRecord", 3.0),
                dir.resolve("suite-processor.jfr"));
        r.stageSeconds.put("1 broker limit", 20.0);
        return r;
    }
}
