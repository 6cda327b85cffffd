package io.runstream.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Writes latest.json (every figure and every run), latest.md (the table) and latest.png (the chart). */
final class SuiteReport {

    static final String COMMAND = "./mvnw -q -pl benchmarks -am package -DskipTests"
            + " && java -jar benchmarks/target/benchmarks.jar suite";

    static final String PAGE_START = "<!-- latest suite run: written by the suite, do not edit -->";
    static final String PAGE_END = "<!-- end of latest suite run -->";
    static final Path DEFAULT_DIR = Path.of("docs/benchmarks");

    private SuiteReport() {
    }

    static void write(SuiteResults results, List<Figure> figures) throws IOException {
        Path dir = results.settings.outDir();
        Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("latest.json").toFile(),
                json(results, figures));
        Files.writeString(dir.resolve("latest.md"), markdown(results, figures));
        Chart.draw(results, dir.resolve("latest.png"));
        if (!results.settings.quick() && dir.equals(DEFAULT_DIR)) {
            updatePage(Path.of("docs/benchmarks.md"), results, figures);
        }
    }

    /** When the run, how long, on what machine, at what load. */
    static String summary(SuiteResults r) {
        return String.format(Locale.ROOT, "Started %s, took %.1f minutes, processor streams.topology: %s. Machine: %s"
                + " cores (%s), %s MiB memory, %s, %s; load average before %s, after %s.", r.startedAt,
                r.wallSeconds / 60, r.settings.topology(),
                r.machine.get("cores"), r.machine.get("cpu"), r.machine.get("memory_mib"), r.machine.get("jdk"),
                r.machine.get("os"), r.loadBefore, r.loadAfter);
    }

    /** Every figure with its peer or limit, ratio, goal and met / not met. */
    static String table(List<Figure> figures) {
        StringBuilder md = new StringBuilder();
        md.append("| stage | figure | Runstream | peer or limit | ratio | goal | met |\n");
        md.append("|---|---|---:|---:|---:|---|---|\n");
        for (Figure figure : figures) {
            String peer = Double.isFinite(figure.peer()) ? format(figure.peer()) + " (" + figure.peerName() + ")"
                    : "";
            md.append("| ").append(figure.stage()).append(" | ").append(figure.figure()).append(" | ")
                    .append(format(figure.runstream())).append(" | ").append(peer).append(" | ")
                    .append(Double.isFinite(figure.ratio()) ? String.format(Locale.ROOT, "%.2f", figure.ratio()) : "")
                    .append(" | ").append(figure.goal() == null ? "" : figure.goal()).append(" | ")
                    .append(figure.met() == null ? "" : figure.met() ? "**met**" : "**not met**").append(" |\n");
        }
        return md.toString();
    }

    /**
     * Replaces the latest-run section of {@code docs/benchmarks.md} (between its two markers) with this run's
     * summary and table, so the page never shows an older run than latest.md. Only a full run into the default
     * directory does this; a page without the markers is left alone.
     */
    static void updatePage(Path page, SuiteResults r, List<Figure> figures) throws IOException {
        if (!Files.exists(page)) {
            return;
        }
        String text = Files.readString(page);
        int start = text.indexOf(PAGE_START);
        int end = text.indexOf(PAGE_END);
        if (start < 0 || end < start) {
            return;
        }
        String section = PAGE_START + "\n" + summary(r) + " The whole report, with the profile and every run: "
                + "[latest.md](benchmarks/latest.md), [latest.json](benchmarks/latest.json).\n\n"
                + "![throughput and latency](benchmarks/latest.png)\n\n" + table(figures) + "\n";
        Files.writeString(page, text.substring(0, start) + section + text.substring(end));
    }

    private static Map<String, Object> json(SuiteResults r, List<Figure> figures) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", COMMAND + (r.settings.quick() ? " --quick" : ""));
        root.put("mode", r.settings.quick() ? "quick" : "full");
        root.put("started_at", r.startedAt);
        root.put("wall_seconds", Math.round(r.wallSeconds));
        root.put("stage_seconds", r.stageSeconds);
        Map<String, Object> machine = new LinkedHashMap<>(r.machine);
        machine.put("load_average_before", r.loadBefore);
        machine.put("load_average_after", r.loadAfter);
        root.put("machine", machine);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Figure figure : figures) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stage", figure.stage());
            row.put("figure", figure.figure());
            row.put("runstream", number(figure.runstream()));
            row.put("peer_or_limit", number(figure.peer()));
            row.put("peer_or_limit_is", figure.peerName());
            row.put("ratio", number(figure.ratio()));
            row.put("goal", figure.goal());
            row.put("goal_met", figure.met());
            rows.add(row);
        }
        root.put("figures", rows);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("broker_limit", r.limit);
        detail.put("ingest_runs", r.ingest.runs());
        detail.put("processor_exactly_once_v2_runs", r.exactlyOnce);
        detail.put("processor_at_least_once_runs", r.atLeastOnce);
        detail.put("latency_runstream", r.runstreamLatency);
        detail.put("latency_alertmanager", r.alertmanagerLatency);
        detail.put("open_incident_levels", r.incidents);
        detail.put("instances", Map.of("one", r.oneInstance, "two", r.twoInstances));
        if (r.profile != null) {
            Map<String, Object> profile = new LinkedHashMap<>();
            profile.put("stage", "stream processor, exactly_once_v2, an extra first run (not counted), measured window only");
            profile.put("profiled_run_samples_per_second", r.profiledRate);
            profile.put("cpu_samples", r.profile.samples());
            profile.put("share_percent_by_thread", r.profile.shareByThread());
            profile.put("stream_thread_cpu_samples", r.profile.streamThreadSamples());
            profile.put("share_percent_by_owner", r.profile.shareByOwner());
            profile.put("share_percent_by_top_method", r.profile.topMethods());
            profile.put("recording", r.profile.file().toString());
            detail.put("jfr_profile", profile);
        }
        detail.put("settings", r.settings.toString());
        root.put("detail", detail);
        return root;
    }

    private static Object number(double value) {
        return Double.isFinite(value) ? Math.round(value * 100) / 100.0 : null;
    }

    private static String markdown(SuiteResults r, List<Figure> figures) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark suite: latest run").append(r.settings.quick() ? " (QUICK mode: sizes too small to "
                + "mean anything)" : "").append("\n\n");
        md.append("Written by `").append(COMMAND).append(r.settings.quick() ? " --quick" : "")
                .append("`; how each figure is measured is in `docs/benchmarks.md`.\n\n");
        md.append(summary(r)).append("\n\n");
        md.append("![throughput and latency](latest.png)\n\n");
        md.append(table(figures));
        if (r.profile != null) {
            md.append("\n## Where the time goes (JFR over an extra, uncounted exactly_once_v2 run's measured window)\n\n");
            md.append(String.format(Locale.ROOT, "That run (also the JIT's warm-up) processed %,.0f samples/s under "
                    + "the recording.\n\n", r.profiledRate));
            md.append(r.profile.samples()).append(" CPU samples in the JVM (broker, clients and processor), by thread:"
                    + "\n\n| share | thread |\n|---:|---|\n");
            r.profile.shareByThread().forEach((thread, share) -> md.append(String.format(Locale.ROOT,
                    "| %.1f %% | %s |%n", share, thread)));
            md.append("\n").append(r.profile.streamThreadSamples()).append(" of them on the stream thread, each "
                    + "charged to the innermost frame outside the JDK:\n\n| share | where |\n|---:|---|\n");
            r.profile.shareByOwner().forEach((owner, share) -> md.append(String.format(Locale.ROOT,
                    "| %.1f %% | %s |%n", share, owner)));
            md.append("\nTop methods (the sampled frame itself):\n\n| share | method |\n|---:|---|\n");
            r.profile.topMethods().forEach((method, share) -> md.append(String.format(Locale.ROOT,
                    "| %.1f %% | `%s` |%n", share, method)));
        }
        md.append("\nStage durations (s): ");
        List<String> stages = new ArrayList<>();
        r.stageSeconds.forEach((stage, seconds) -> stages.add(String.format(Locale.ROOT, "%s %.0f", stage, seconds)));
        md.append(String.join(", ", stages)).append(".\n");
        return md.toString();
    }

    static String format(double value) {
        if (!Double.isFinite(value)) {
            return "";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
