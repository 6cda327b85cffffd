package io.runstream.processor.rules;

import java.util.Map;
import java.util.Objects;

/**
 * Which series a gauge, increase, terminations or absent rule reads and how it groups them.
 *
 * @param selector  label name to a regex, anchored like PromQL's {@code =~}; a series must match all of them
 * @param aggregate how the values of one group combine
 * @param by        alert label to series label: one group (and one alert) per distinct value of these series
 *                  labels, each alert labelled with them, like {@code max by (name)} plus a rename; empty: one
 *                  group per service
 */
public record SeriesSelection(Map<String, String> selector, Aggregation aggregate, Map<String, String> by) {

    public static final SeriesSelection NONE = new SeriesSelection(Map.of(), Aggregation.MAX, Map.of());

    public SeriesSelection {
        selector = Map.copyOf(selector);
        Objects.requireNonNull(aggregate, "aggregate");
        by = Map.copyOf(by);
    }
}
