package io.runstream.processor.rules;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Collects the problems of one rules file, each prefixed with the file and the 1-based line and column, and
 * lists them in file order whatever order the sections were checked in.
 */
final class YamlProblems {

    private record Problem(int line, int column, String text) {
    }

    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    YamlProblems(String file) {
        this.file = file;
    }

    /**
     * The file's node tree (null for an empty file), keeping every node's line and column.
     *
     * @throws RulesFileException when the text is not YAML
     */
    Node compose(String text) {
        try {
            return new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            add(e.getProblemMark(), "", "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            add((Mark) null, "", "not valid YAML: " + e.getMessage());
        }
        throw new RulesFileException(list());
    }

    void add(Node node, String path, String message) {
        add(node.getStartMark(), path, message);
    }

    void add(Mark mark, String path, String message) {
        int line = mark == null ? 0 : mark.getLine() + 1;
        int column = mark == null ? 0 : mark.getColumn() + 1;
        String where = mark == null ? file : file + " line " + line + ", column " + column;
        problems.add(new Problem(line, column, where + ": " + (path.isEmpty() ? "" : path + ": ") + message));
    }

    /** How many problems were found so far, so a parser can tell whether one part added any. */
    int count() {
        return problems.size();
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    List<String> list() {
        return problems.stream()
                .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
                .map(Problem::text)
                .toList();
    }
}
