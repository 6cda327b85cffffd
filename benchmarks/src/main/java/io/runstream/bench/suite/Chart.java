package io.runstream.bench.suite;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * latest.png, drawn with Java2D (no dependency): throughput on the left (items per second, log scale; the
 * broker's limits in grey, Runstream in blue, Alertmanager in orange, goals as red ticks), latency on the right
 * (p50 / p99 / max in ms, log scale, Runstream beside Alertmanager, the p99 goal as a red line).
 */
final class Chart {

    private static final int WIDTH = 1400;
    private static final int HEIGHT = 640;
    private static final Color LIMIT = new Color(150, 150, 150);
    private static final Color RUNSTREAM = new Color(40, 100, 190);
    private static final Color PEER = new Color(230, 130, 30);
    private static final Color GOAL = new Color(210, 30, 30);

    private record Bar(String label, double value, Color color, double goal) {
    }

    private Chart() {
    }

    static void draw(SuiteResults r, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString("Runstream benchmark suite" + (r.settings.quick() ? " (quick mode)" : "") + ", "
                    + r.startedAt + ", " + r.machine.get("cores") + " cores, load " + r.loadBefore, 20, 26);
            throughput(g, r, 20, 50, 820, 570);
            latency(g, r, 880, 50, 500, 570);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void throughput(Graphics2D g, SuiteResults r, int x, int y, int w, int h) {
        List<Bar> bars = List.of(
                new Bar("broker produce, sample-sized", r.limit.produceSamplesPerSecond(), LIMIT, Double.NaN),
                new Bar("broker produce, alert-sized", r.limit.produceAlertsPerSecond(), LIMIT, Double.NaN),
                new Bar("broker consume (read_committed)", r.limit.consumeSamplesPerSecond(), LIMIT, Double.NaN),
                new Bar("ingest webhook, alerts/s", r.ingest.webhook().itemsPerSecond(), RUNSTREAM,
                        FigureTable.INGEST_GOAL_RATIO * r.ingest.alertmanager().itemsPerSecond()),
                new Bar("Alertmanager API v2, alerts/s", r.ingest.alertmanager().itemsPerSecond(), PEER, Double.NaN),
                new Bar("remote_write, samples/s", r.ingest.remoteWrite().itemsPerSecond(), RUNSTREAM,
                        FigureTable.REMOTE_WRITE_GOAL),
                new Bar("processor exactly_once_v2", r.exactlyOnceMedian(), RUNSTREAM,
                        FigureTable.EXACTLY_ONCE_GOAL_RATIO * r.limit.produceSamplesPerSecond()),
                new Bar("processor at_least_once", r.atLeastOnceMedian(), RUNSTREAM, Double.NaN),
                new Bar("processor EOS, 1 instance", r.oneInstance, RUNSTREAM, Double.NaN),
                new Bar("processor EOS, 2 instances", r.twoInstances, RUNSTREAM, Double.NaN));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString("Throughput, per second (log scale); red tick = goal", x, y + 10);
        int labelWidth = 250;
        int plotX = x + labelWidth;
        int plotW = w - labelWidth - 70;
        double lo = 3;
        double hi = 7;
        int top = y + 40;
        int rowH = (h - 80) / bars.size();
        axis(g, plotX, top + rowH * bars.size(), plotW, lo, hi, true);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int rowY = top + i * rowH;
            g.setColor(Color.BLACK);
            g.drawString(bar.label(), x, rowY + rowH / 2 + 4);
            int length = scale(bar.value(), lo, hi, plotW);
            g.setColor(bar.color());
            g.fillRect(plotX, rowY + 4, length, rowH - 8);
            g.setColor(Color.BLACK);
            g.drawString(SuiteReport.format(bar.value()), plotX + length + 4, rowY + rowH / 2 + 4);
            if (Double.isFinite(bar.goal())) {
                int goalX = plotX + scale(bar.goal(), lo, hi, plotW);
                g.setColor(GOAL);
                g.setStroke(new BasicStroke(3));
                g.drawLine(goalX, rowY + 1, goalX, rowY + rowH - 1);
                g.setStroke(new BasicStroke(1));
            }
        }
    }

    private static void latency(Graphics2D g, SuiteResults r, int x, int y, int w, int h) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString("Alert -> action (Runstream, EOS) vs alert -> webhook", x, y + 10);
        g.drawString("(Alertmanager, group_wait 0s), ms, log scale", x, y + 28);
        String[] names = {"p50", "p99", "max"};
        double[] ours = {r.runstreamLatency.p50Millis(), r.runstreamLatency.p99Millis(),
            r.runstreamLatency.maxMillis()};
        double[] theirs = {r.alertmanagerLatency.p50Millis(), r.alertmanagerLatency.p99Millis(),
            r.alertmanagerLatency.maxMillis()};
        int plotX = x + 50;
        int plotBottom = y + h - 30;
        int plotH = h - 110;
        double lo = 0;
        double hi = 4;
        axis(g, plotX, plotBottom, plotH, lo, hi, false);
        int groupW = (w - 80) / names.length;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < names.length; i++) {
            int groupX = plotX + 10 + i * groupW;
            drawColumn(g, groupX, plotBottom, groupW / 2 - 8, scale(ours[i], lo, hi, plotH), RUNSTREAM, ours[i]);
            drawColumn(g, groupX + groupW / 2, plotBottom, groupW / 2 - 8, scale(theirs[i], lo, hi, plotH), PEER,
                    theirs[i]);
            g.setColor(Color.BLACK);
            g.drawString(names[i], groupX + groupW / 2 - 10, plotBottom + 16);
        }
        int goalY = plotBottom - scale(FigureTable.LATENCY_P99_GOAL_MS, lo, hi, plotH);
        g.setColor(GOAL);
        g.drawLine(plotX, goalY, plotX + w - 80, goalY);
        g.drawString("goal: p99 < 100 ms", plotX + w - 200, goalY - 4);
        g.setColor(RUNSTREAM);
        g.fillRect(x + 60, y + h - 6, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("Runstream", x + 76, y + h + 5);
        g.setColor(PEER);
        g.fillRect(x + 180, y + h - 6, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("Alertmanager 0.25", x + 196, y + h + 5);
    }

    private static void drawColumn(Graphics2D g, int x, int bottom, int width, int height, Color color,
            double value) {
        g.setColor(color);
        g.fillRect(x, bottom - height, width, height);
        g.setColor(Color.BLACK);
        g.drawString(SuiteReport.format(value), x, bottom - height - 4);
    }

    /** Log-scale axis from 10^lo to 10^hi: horizontal along the bottom, or vertical on the left. */
    private static void axis(Graphics2D g, int x, int y, int length, double lo, double hi, boolean horizontal) {
        g.setColor(Color.GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int exponent = (int) lo; exponent <= hi; exponent++) {
            int offset = scale(Math.pow(10, exponent), lo, hi, length);
            String label = tick(exponent);
            if (horizontal) {
                g.drawLine(x + offset, y - 4, x + offset, y + 4);
                g.drawString(label, x + offset - 10, y + 18);
            } else {
                g.drawLine(x - 4, y - offset, x + 4, y - offset);
                g.drawString(label, x - 45, y - offset + 4);
            }
        }
        if (horizontal) {
            g.drawLine(x, y, x + length, y);
        } else {
            g.drawLine(x, y, x, y - length);
        }
    }

    private static String tick(int exponent) {
        return exponent >= 6 ? (int) Math.pow(10, exponent - 6) + "M"
                : exponent >= 3 ? (int) Math.pow(10, exponent - 3) + "k"
                : String.format(Locale.ROOT, "%d", (int) Math.pow(10, exponent));
    }

    private static int scale(double value, double lo, double hi, int length) {
        if (!Double.isFinite(value) || value <= 0) {
            return 0;
        }
        double position = (Math.log10(value) - lo) / (hi - lo);
        return (int) Math.round(Math.max(0, Math.min(1, position)) * length);
    }
}
