package io.runstream.processor.runbook;

import java.util.List;

/** A runbook as code: which incidents it is for, under what context, and the remediations to try in order. */
public record Runbook(String name, String description, RunbookMatch match, RunbookCondition when,
        List<RunbookStep> steps) {

    public Runbook {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("runbook " + name + " has no steps");
        }
    }
}
