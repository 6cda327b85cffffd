package io.runstream.launcher.backtest;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

import io.runstream.launcher.backtest.BacktestReport.Day;
import io.runstream.launcher.backtest.BacktestReport.IncidentSummary;

/**
 * The report as one self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched): the headline, a
 * per-day chart of incidents opened by severity and of pages, current beside candidate, and the tables of the
 * terminal report.
 */
public final class ReportHtml {

    private static final List<String> SEVERITIES = List.of("P1", "P2", "P3", "P4");
    private static final Map<String, String> COLOURS = Map.of("P1", "#c0392b", "P2", "#e67e22", "P3", "#f1c40f",
            "P4", "#95a5a6");
    private static final int BAR = 14;
    private static final int HEIGHT = 160;

    private ReportHtml() {
    }

    public static String of(BacktestReport report) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Runstream backtest</title>")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;")
                .append("margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}")
                .append("td.n{text-align:right}h1{font-size:1.6em}.lim li{margin:.3em 0}</style></head><body>");
        html.append("<h1>").append(esc(report.headline())).append("</h1>");
        html.append("<p>").append(esc(report.from() + " .. " + report.to())).append(", ")
                .append(report.replayed().records()).append(" records replayed in ")
                .append(String.format("%.1f s (%.0fx faster than real time)", report.replayed().replaySeconds(),
                        report.replayed().timesFasterThanRealTime())).append("</p>");
        html.append("<p>current: rules ").append(esc(report.current().rules())).append(", runbooks ")
                .append(esc(report.current().runbooks())).append("<br>candidate: rules ")
                .append(esc(report.candidate().rules())).append(", runbooks ")
                .append(esc(report.candidate().runbooks())).append("</p>");
        html.append("<h2>Per day</h2>");
        chart(html, "incidents opened by severity (left bar current, right bar candidate)", report,
                day -> day.bySeverity().values().stream().mapToInt(Integer::intValue).sum(), true);
        chart(html, "pages sent (left current, right candidate)", report, Day::pages, false);
        html.append("<h2>Totals</h2><table><tr><th></th><th>current</th><th>candidate</th></tr>");
        row(html, "incidents opened", report.current().incidents(), report.candidate().incidents());
        rows(html, "", report.current().bySeverity(), report.candidate().bySeverity());
        row(html, "pages sent", report.current().pages(), report.candidate().pages());
        rows(html, "to ", report.current().pagesByTarget(), report.candidate().pagesByTarget());
        row(html, "pages per week", report.current().pagesPerWeek(), report.candidate().pagesPerWeek());
        html.append("<tr><th colspan=\"3\">actions that would have run</th></tr>");
        rows(html, "", report.current().actionsByTypeAndTarget(), report.candidate().actionsByTypeAndTarget());
        row(html, "mean time to detect, found by both (" + report.foundByBoth().size() + ")",
                seconds(report.meanTimeToDetectCurrentSeconds()), seconds(report.meanTimeToDetectCandidateSeconds()));
        html.append("</table>");
        incidents(html, "Found only by current (missed by the candidate)", report.onlyCurrent());
        incidents(html, "Found only by the candidate", report.onlyCandidate());
        html.append("<h2>Limits</h2><ul class=\"lim\">");
        report.limits().forEach(limit -> html.append("<li>").append(esc(limit)).append("</li>"));
        html.append("</ul></body></html>\n");
        return html.toString();
    }

    private static void chart(StringBuilder html, String title, BacktestReport report, ToIntFunction<Day> total,
            boolean bySeverity) {
        List<Day> current = report.current().days();
        List<Day> candidate = report.candidate().days();
        int max = 1;
        for (int i = 0; i < current.size(); i++) {
            max = Math.max(max, Math.max(total.applyAsInt(current.get(i)), total.applyAsInt(candidate.get(i))));
        }
        int width = Math.max(200, current.size() * (3 * BAR) + 40);
        html.append("<h3>").append(esc(title)).append("</h3><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width).append("\" height=\"").append(HEIGHT + 40).append("\" role=\"img\">");
        html.append("<text x=\"0\" y=\"12\" font-size=\"11\">").append(max).append("</text>");
        for (int i = 0; i < current.size(); i++) {
            int x = 30 + i * 3 * BAR;
            bar(html, x, current.get(i), max, total, bySeverity, "#2c3e50");
            bar(html, x + BAR, candidate.get(i), max, total, bySeverity, "#2980b9");
            html.append("<text x=\"").append(x).append("\" y=\"").append(HEIGHT + 15)
                    .append("\" font-size=\"9\">").append(esc(current.get(i).day().toString().substring(5)))
                    .append("</text>");
        }
        html.append("</svg>");
        if (bySeverity) {
            html.append("<p>");
            SEVERITIES.forEach(s -> html.append("<span style=\"color:").append(COLOURS.get(s)).append("\">&#9632; ")
                    .append(s).append("</span> "));
            html.append("</p>");
        }
    }

    private static void bar(StringBuilder html, int x, Day day, int max, ToIntFunction<Day> total, boolean bySeverity,
            String colour) {
        int y = HEIGHT;
        if (!bySeverity) {
            int h = total.applyAsInt(day) * (HEIGHT - 20) / max;
            rect(html, x, y - h, h, colour, day.pages() + " pages on " + day.day());
            return;
        }
        for (String severity : SEVERITIES) {
            int count = day.bySeverity().getOrDefault(severity, 0);
            int h = count * (HEIGHT - 20) / max;
            y -= h;
            if (h > 0) {
                rect(html, x, y, h, COLOURS.get(severity), count + " " + severity + " on " + day.day());
            }
        }
    }

    private static void rect(StringBuilder html, int x, int y, int h, String colour, String tip) {
        html.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(BAR - 2)
                .append("\" height=\"").append(h).append("\" fill=\"").append(colour).append("\"><title>")
                .append(esc(tip)).append("</title></rect>");
    }

    private static void rows(StringBuilder html, String prefix, Map<String, Integer> current,
            Map<String, Integer> candidate) {
        TreeSet<String> keys = new TreeSet<>(current.keySet());
        keys.addAll(candidate.keySet());
        keys.forEach(key -> row(html, "&nbsp;&nbsp;" + esc(prefix + key), current.getOrDefault(key, 0),
                candidate.getOrDefault(key, 0)));
    }

    /** A row whose label is already HTML. */
    private static void row(StringBuilder html, String label, Object current, Object candidate) {
        html.append("<tr><td>").append(label).append("</td><td class=\"n\">").append(esc(String.valueOf(current)))
                .append("</td><td class=\"n\">").append(esc(String.valueOf(candidate))).append("</td></tr>");
    }

    private static void incidents(StringBuilder html, String title, List<IncidentSummary> incidents) {
        html.append("<h2>").append(esc(title)).append(": ").append(incidents.size()).append("</h2>");
        if (incidents.isEmpty()) {
            return;
        }
        html.append("<table><tr><th>opened</th><th>severity</th><th>service</th><th>incident</th>")
                .append("<th>alerts behind it</th></tr>");
        for (IncidentSummary incident : incidents) {
            html.append("<tr><td>").append(esc(incident.openedAt().toString())).append("</td><td>")
                    .append(esc(incident.severity())).append("</td><td>").append(esc(incident.service()))
                    .append("</td><td>").append(esc(incident.id())).append("</td><td>");
            incident.alerts().forEach(alert -> html.append(esc(alert.alertname() + " " + alert.fingerprint()
                    + " since " + alert.startsAt())).append("<br>"));
            html.append("</td></tr>");
        }
        html.append("</table>");
    }

    private static String seconds(Double value) {
        return value == null ? "-" : String.format("%.0f s", value);
    }

    static String esc(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
