package io.runstream.schemas;

import java.util.List;

/** Existing topics whose configuration Runstream cannot run on (e.g. {@code incidents} not compacted). */
public final class TopicMisconfiguredException extends RuntimeException {

    private final List<String> problems;

    public TopicMisconfiguredException(List<String> problems) {
        super("Existing topics are misconfigured; fix them or choose another topic prefix: "
                + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
