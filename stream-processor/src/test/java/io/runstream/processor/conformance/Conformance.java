package io.runstream.processor.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The runbook requirement a conformance case checks: the runbook's number (shared/runbooks/README.md) and the
 * section it is written in. docs/runbooks.md's conformance table lists every case ({@link ConformanceTableTest}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Conformance {

    /** The runbook's number, e.g. "001". */
    String runbook();

    /** The section as the runbook titles it, e.g. "Escalation Decision Tree". */
    String section();
}
