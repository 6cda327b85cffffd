package io.runstream.processor.runbook;

import java.util.List;

/** Every runbook of the runbooks file, in the order they are tried: the first that applies runs. */
public record Runbooks(List<Runbook> runbooks) {

    public Runbooks {
        runbooks = List.copyOf(runbooks);
    }

    public static Runbooks none() {
        return new Runbooks(List.of());
    }
}
