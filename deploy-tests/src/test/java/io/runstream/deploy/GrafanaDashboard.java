package io.runstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A Grafana dashboard JSON file: its panels' PromQL queries, and the metric names those queries read. */
final class GrafanaDashboard {

    /** What PromQL itself names: functions, aggregations and keywords, never metrics. */
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "sum", "min", "max", "avg", "count", "topk",
            "bottomk", "quantile", "stddev", "stdvar", "count_values", "group", "rate", "irate", "increase", "delta",
            "idelta", "deriv", "histogram_quantile", "clamp_min", "clamp_max", "abs", "ceil", "floor", "round",
            "vector", "scalar", "time", "label_replace", "label_join", "sort", "sort_desc", "absent",
            "max_over_time", "min_over_time", "avg_over_time", "sum_over_time", "count_over_time", "last_over_time",
            "changes", "resets", "inf", "nan");
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPINGS = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private final JsonNode root;

    private GrafanaDashboard(JsonNode root) {
        this.root = root;
    }

    static GrafanaDashboard read(Path file) {
        try {
            return new GrafanaDashboard(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String title() {
        return root.path("title").asText();
    }

    /** Every panel's query expressions. */
    List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode target : root.findValues("targets")) {
            target.forEach(query -> {
                if (query.hasNonNull("expr")) {
                    expressions.add(query.get("expr").asText());
                }
            });
        }
        return expressions;
    }

    /** The uid of every datasource a panel or query refers to. */
    Set<String> datasourceUids() {
        Set<String> uids = new TreeSet<>();
        root.findValues("datasource").forEach(datasource -> {
            if (datasource.hasNonNull("uid")) {
                uids.add(datasource.get("uid").asText());
            }
        });
        return uids;
    }

    /** The metric names all queries read. */
    Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        expressions().forEach(expression -> names.addAll(metricNames(expression)));
        return names;
    }

    /**
     * The metric names in one PromQL expression: what is left once strings, label matchers, ranges and groupings
     * are removed, minus function calls, keywords and numbers.
     */
    static Set<String> metricNames(String expression) {
        String bare = STRINGS.matcher(expression).replaceAll("\"\"");
        bare = LABEL_MATCHERS.matcher(bare).replaceAll(" ");
        bare = RANGES.matcher(bare).replaceAll(" ");
        bare = GROUPINGS.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifiers = IDENTIFIER.matcher(bare);
        while (identifiers.find()) {
            String word = identifiers.group();
            boolean isCall = bare.substring(identifiers.end()).stripLeading().startsWith("(");
            boolean isDuration = identifiers.start() > 0 && Character.isDigit(bare.charAt(identifiers.start() - 1));
            if (!isCall && !isDuration && !PROMQL_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }
}
