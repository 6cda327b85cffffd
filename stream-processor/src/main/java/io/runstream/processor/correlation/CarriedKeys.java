package io.runstream.processor.correlation;

import io.runstream.avro.ActionResult;
import io.runstream.avro.IncidentCommand;
import io.runstream.processor.errors.UnroutableRecordException;

/**
 * The correlation key that commands and results carry to the one writer of their incident (issue 19), and the
 * checks that send a record which cannot be routed by it to dead-letters, with the reason, instead of dropping it.
 */
public final class CarriedKeys {

    /** A null value: a tombstone on a topic that has none. */
    public static final String EMPTY_RECORD = "empty_record";
    /** No correlation key: from a producer of an earlier release (a rolling upgrade) or a foreign one. */
    public static final String MISSING_KEY = "missing_correlation_key";
    /** Keyed by something else than the key it carries, so on a partition whose task may not own that key. */
    public static final String KEY_MISMATCH = "correlation_key_mismatch";

    private CarriedKeys() {
    }

    /**
     * The result, when it is on the partition of its incident's task: keyed by the correlation key it carries, as
     * workers publish it. Anything else cannot be routed without a repartition and throws.
     */
    public static ActionResult routable(String key, ActionResult result) {
        if (result == null) {
            throw new UnroutableRecordException(EMPTY_RECORD, "an action result record without a value");
        }
        String carried = result.getCorrelationKey();
        if (!carries(carried)) {
            throw new UnroutableRecordException(MISSING_KEY, "result " + result.getCommandId() + " of incident "
                    + result.getIncidentId() + " carries no correlation key (a worker, or a command, of a release"
                    + " before it was carried)");
        }
        if (!carried.equals(key)) {
            throw new UnroutableRecordException(KEY_MISMATCH, "result " + result.getCommandId() + " carries key "
                    + carried + " but is keyed " + key);
        }
        return result;
    }

    /** The command, when it can be routed: by the key it carries, or looked up by the incident id it is keyed by. */
    public static IncidentCommand routable(String incidentId, IncidentCommand command) {
        if (command == null) {
            throw new UnroutableRecordException(EMPTY_RECORD, "an incident command record without a value");
        }
        if (!carries(command.getCorrelationKey()) && incidentId == null) {
            throw new UnroutableRecordException(MISSING_KEY, "command " + command.getCommandId()
                    + " carries no correlation key and has no incident id key to look it up by");
        }
        return command;
    }

    public static boolean carriesKey(IncidentCommand command) {
        return carries(command.getCorrelationKey());
    }

    private static boolean carries(String key) {
        return key != null && !key.isEmpty();
    }
}
