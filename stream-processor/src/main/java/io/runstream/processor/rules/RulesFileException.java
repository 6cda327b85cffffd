package io.runstream.processor.rules;

import java.util.List;

/**
 * A rules file that cannot be used. Carries every problem found, each naming the file, the line and column,
 * the path of the offending key and what is wrong, so one run shows all that needs fixing.
 */
public final class RulesFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public RulesFileException(List<String> problems) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the rules file:"
                + System.lineSeparator() + String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, in file order, e.g. {@code rules.yaml line 12, column 14: rules[2].thresholds[0].for: ...}. */
    public List<String> problems() {
        return problems;
    }
}
