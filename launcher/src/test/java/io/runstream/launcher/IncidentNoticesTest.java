package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** `runstream incidents show` lists every notice of an incident with its channel and the worker's outcome. */
class IncidentNoticesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pairsEachNoticeWithItsResultPerChannel() throws Exception {
        JsonNode timeline = JSON.readTree("""
                [{"at": "2026-12-06T10:00:00Z", "type": "OPENED", "message": "opened P1: 5xx"},
                 {"at": "2026-12-06T10:00:01Z", "type": "ESCALATED", "message": "escalated: page-on-call (pagerduty/on-call)",
                  "actionCommandId": "INC-1/escalation/page-on-call", "details": {"target": "pagerduty/on-call", "type": "PAGE"}},
                 {"at": "2026-12-06T10:00:01Z", "type": "ESCALATED", "message": "escalated: notify-oncall-channel",
                  "actionCommandId": "INC-1/escalation/notify-oncall-channel", "details": {"target": "slack/ml-ops-oncall", "type": "NOTIFY"}},
                 {"at": "2026-12-06T10:00:02Z", "type": "ACTION_RESULT", "message": "PAGE SUCCEEDED: trigger",
                  "actionCommandId": "INC-1/escalation/page-on-call", "details": {"outcome": "SUCCEEDED"}},
                 {"at": "2026-12-06T10:00:02Z", "type": "ACTION_RESULT", "message": "NOTIFY REJECTED: no webhook",
                  "actionCommandId": "INC-1/escalation/notify-oncall-channel",
                  "details": {"outcome": "REJECTED", "reasonCode": "channel_not_configured"}},
                 {"at": "2026-12-06T10:00:03Z", "type": "ACTION_ISSUED", "message": "rollback-after-rollout step rollback",
                  "actionCommandId": "INC-1/rollback-after-rollout/rollback", "details": {"action": "ROLLOUT_UNDO"}},
                 {"at": "2026-12-06T10:20:00Z", "type": "ACTION_ISSUED", "message": "close-out: resolve the PagerDuty incident on pagerduty/on-call",
                  "actionCommandId": "INC-1/close-out/pagerduty/on-call", "details": {"target": "pagerduty/on-call", "type": "PAGE"}}]
                """);

        assertThat(IncidentNotices.of(timeline)).extracting(n -> n.type() + " " + n.channel() + " " + n.outcome()
                + (n.reason().isEmpty() ? "" : " " + n.reason())).containsExactly(
                "PAGE pagerduty/on-call SUCCEEDED",
                "NOTIFY slack/ml-ops-oncall REJECTED channel_not_configured",
                "PAGE pagerduty/on-call pending");
    }

    @Test
    void anEmptyOrOddTimelineListsNothing() throws Exception {
        assertThat(IncidentNotices.of(JSON.readTree("[]"))).isEmpty();
        assertThat(IncidentNotices.of(JSON.readTree("[{\"type\": \"ESCALATED\"}, {\"actionCommandId\": null}]")))
                .isEmpty();
    }
}
