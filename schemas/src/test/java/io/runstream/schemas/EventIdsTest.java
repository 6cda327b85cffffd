package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.runstream.avro.IncidentEventType;

/**
 * Event ids are persisted (incident-events, the timeline and inbox stores) and must come out the same when the
 * same inputs are replayed after a crash: these ids are the ones releases so far have written.
 */
class EventIdsTest {

    private static final String INCIDENT = "INC-7f3a9c21";
    private static final long AT = 1_796_558_400_000L;

    @Test
    void aDecisionsEntryIsIncidentTimeAndType() {
        assertThat(EventIds.of(INCIDENT, AT, IncidentEventType.RECOVERY_FAILED))
                .isEqualTo("INC-7f3a9c21/1796558400000/RECOVERY_FAILED");
    }

    @Test
    void theSubjectFollowsTheType() {
        assertThat(EventIds.of(INCIDENT, AT, IncidentEventType.ALERT_ATTACHED, "a1b2c3d4e5f60718"))
                .isEqualTo("INC-7f3a9c21/1796558400000/ALERT_ATTACHED/a1b2c3d4e5f60718");
        assertThat(EventIds.of(INCIDENT, AT, IncidentEventType.ACTION_ISSUED, "high-error-rate", "rollout-undo"))
                .isEqualTo("INC-7f3a9c21/1796558400000/ACTION_ISSUED/high-error-rate/rollout-undo");
    }

    @Test
    void anAbsentSubjectIsLeftOut() {
        assertThat(EventIds.of(INCIDENT, AT, IncidentEventType.OPENED, (String) null))
                .isEqualTo("INC-7f3a9c21/1796558400000/OPENED");
    }

    @Test
    void anIncidentCommandsEntryIsNamedByTheCommandAlone() {
        assertThat(EventIds.ofCommand(INCIDENT, "slack:U024BE7LH:1796558400.000100"))
                .isEqualTo("INC-7f3a9c21/command/slack:U024BE7LH:1796558400.000100");
    }
}
