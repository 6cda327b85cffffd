package io.runstream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures a long run is judged by, from its 10-second timeline: RSS and heap after the warm-up (slope per hour
 * by least squares, range), the state directory and each store and topic at the end of the warm-up and at the end,
 * and how long each restart took.
 */
final class Summary {

    private Summary() {
    }

    static Map<String, Object> of(List<Map<String, Object>> timeline, List<Map<String, Object>> crashes,
            Duration warmUp) {
        double from = warmUp.toSeconds();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("after_warm_up_from_s", (long) from);
        List<double[]> rss = series(timeline, "rss_mib");
        List<double[]> heap = series(timeline, "heap_used_mib");
        List<double[]> state = series(timeline, "state_dir_mib");
        summary.put("rss_slope_mib_per_hour", round(Trend.perHour(rss, from)));
        summary.put("rss_mib_min_max_after_warm_up", range(rss, from));
        summary.put("heap_slope_mib_per_hour", round(Trend.perHour(heap, from)));
        summary.put("heap_mib_min_max_after_warm_up", range(heap, from));
        summary.put("state_dir_slope_mib_per_hour", round(Trend.perHour(state, from)));
        summary.put("state_dir_mib_min_max_after_warm_up", range(state, from));
        Map<String, Object> atWarmUp = firstAtOrAfter(timeline, from);
        Map<String, Object> last = timeline.isEmpty() ? Map.of() : timeline.get(timeline.size() - 1);
        summary.put("stores_mib_at_warm_up", atWarmUp.get("stores_mib"));
        summary.put("stores_mib_at_end", last.get("stores_mib"));
        summary.put("topics_mib_at_warm_up", atWarmUp.get("topics_mib"));
        summary.put("topics_mib_at_end", last.get("topics_mib"));
        summary.put("ready_again_after_s", crashes.stream()
                .map(c -> round(((Number) c.get("ready_again_after_ms")).doubleValue() / 1000)).toList());
        return summary;
    }

    private static List<double[]> series(List<Map<String, Object>> timeline, String field) {
        List<double[]> points = new ArrayList<>();
        for (Map<String, Object> point : timeline) {
            if (point.get(field) instanceof Number value && value.doubleValue() >= 0) {
                points.add(new double[] {((Number) point.get("t_s")).doubleValue(), value.doubleValue()});
            }
        }
        return points;
    }

    private static List<Double> range(List<double[]> points, double from) {
        return List.of(points.stream().filter(p -> p[0] >= from).mapToDouble(p -> p[1]).min().orElse(Double.NaN),
                points.stream().filter(p -> p[0] >= from).mapToDouble(p -> p[1]).max().orElse(Double.NaN));
    }

    private static Map<String, Object> firstAtOrAfter(List<Map<String, Object>> timeline, double from) {
        return timeline.stream().filter(p -> ((Number) p.get("t_s")).doubleValue() >= from).findFirst()
                .orElse(Map.of());
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
