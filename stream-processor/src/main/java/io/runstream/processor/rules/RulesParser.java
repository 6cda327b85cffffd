package io.runstream.processor.rules;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns the text of a rules file into a {@link RulesFile}, or a {@link RulesFileException} listing every
 * problem. Reads SnakeYAML's node tree rather than binding to classes, because the nodes keep the line and
 * column each problem is reported at.
 */
final class RulesParser {

    private static final Set<String> TOP_KEYS = Set.of("rules", "evaluation", "dedup", "correlation", "severity");

    private RulesParser() {
    }

    /**
     * @param defaultRules the rules used when the file has no {@code rules:} key, null to require it
     */
    static RulesFile parse(String fileName, String text, Optional<List<DetectionRule>> defaultRules) {
        YamlProblems problems = new YamlProblems(fileName);
        Node root = problems.compose(text);
        if (root == null) {
            // An empty file is a file without sections: every section takes its defaults.
            return new RulesFile(defaultRules.orElse(List.of()), PolicyParser.dedup(Optional.empty()),
                    PolicyParser.correlation(Optional.empty()), PolicyParser.severity(Optional.empty()),
                    PolicyParser.evaluation(Optional.empty()));
        }
        Optional<YamlSection> top = YamlSection.of(root, "", problems, TOP_KEYS);
        List<DetectionRule> rules = top.flatMap(section -> section.list("rules"))
                .map(items -> new RuleParser(problems).parse(items))
                .orElseGet(() -> top.filter(section -> section.has("rules")).isPresent()
                        ? List.of() : defaultRules.orElse(List.of()));
        RulesFile file = new RulesFile(rules,
                PolicyParser.dedup(top.flatMap(section -> section.section("dedup", Set.of("window")))),
                PolicyParser.correlation(top.flatMap(section ->
                        section.section("correlation", Set.of("groupBy", "reopenWindow", "retention")))),
                PolicyParser.severity(top.flatMap(section -> section.section("severity",
                        Set.of("fallback", "byAlertSeverity", "errorRate", "criticalServices")))),
                PolicyParser.evaluation(top.flatMap(section ->
                        section.section("evaluation", Set.of("interval", "lateGrace")))));
        if (!problems.isEmpty()) {
            throw new RulesFileException(problems.list());
        }
        return file;
    }
}
