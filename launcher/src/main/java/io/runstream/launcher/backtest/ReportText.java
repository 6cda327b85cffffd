package io.runstream.launcher.backtest;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeSet;

import io.runstream.launcher.backtest.BacktestReport.IncidentSummary;

/** The report as a terminal table: the headline, current and candidate side by side, then the differences. */
public final class ReportText {

    private ReportText() {
    }

    public static void print(BacktestReport report, PrintStream out) {
        out.println(report.headline());
        out.printf("range %s .. %s, %d records replayed, %.1f s (%.0fx faster than real time)%n", report.from(),
                report.to(), report.replayed().records(), report.replayed().replaySeconds(),
                report.replayed().timesFasterThanRealTime());
        out.printf("current:   rules %s, runbooks %s%n", report.current().rules(), report.current().runbooks());
        out.printf("candidate: rules %s, runbooks %s%n%n", report.candidate().rules(), report.candidate().runbooks());
        String row = "%-52s %10s %10s%n";
        out.printf(row, "", "current", "candidate");
        out.printf(row, "incidents opened", report.current().incidents(), report.candidate().incidents());
        rows(out, row, "  ", report.current().bySeverity(), report.candidate().bySeverity());
        out.printf(row, "pages sent", report.current().pages(), report.candidate().pages());
        rows(out, row, "  to ", report.current().pagesByTarget(), report.candidate().pagesByTarget());
        out.printf(row, "pages per week", report.current().pagesPerWeek(), report.candidate().pagesPerWeek());
        out.printf(row, "actions that would have run", "", "");
        rows(out, row, "  ", report.current().actionsByTypeAndTarget(), report.candidate().actionsByTypeAndTarget());
        out.printf(row, "mean time to detect, found by both (" + report.foundByBoth().size() + ")",
                seconds(report.meanTimeToDetectCurrentSeconds()), seconds(report.meanTimeToDetectCandidateSeconds()));
        out.printf(row, "unreadable records (dead letters)", report.current().deadLetters(),
                report.candidate().deadLetters());
        only(out, "found only by current (missed by the candidate)", report.onlyCurrent().size(), report);
        report.onlyCurrent().forEach(incident -> incident(out, incident));
        only(out, "found only by the candidate", report.onlyCandidate().size(), report);
        report.onlyCandidate().forEach(incident -> incident(out, incident));
        out.println();
        out.println("limits:");
        report.limits().forEach(limit -> out.println("- " + limit));
    }

    private static void rows(PrintStream out, String row, String indent, Map<String, Integer> current,
            Map<String, Integer> candidate) {
        TreeSet<String> keys = new TreeSet<>(current.keySet());
        keys.addAll(candidate.keySet());
        for (String key : keys) {
            String label = indent + key;
            out.printf(row, label.length() > 52 ? label.substring(0, 51) + "~" : label, current.getOrDefault(key, 0),
                    candidate.getOrDefault(key, 0));
        }
    }

    private static void only(PrintStream out, String title, int count, BacktestReport report) {
        out.printf("%n%s: %d%n", title, count);
    }

    private static void incident(PrintStream out, IncidentSummary incident) {
        out.printf("  %s  %s  %s  %s%n", incident.openedAt(), incident.severity(), incident.service(), incident.id());
        incident.alerts().forEach(alert -> out.printf("      %s %s since %s%n", alert.alertname(),
                alert.fingerprint(), alert.startsAt()));
    }

    private static String seconds(Double value) {
        return value == null ? "-" : String.format("%.0f s", value);
    }
}
