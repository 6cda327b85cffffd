package io.runstream.workers.notify;

import static io.runstream.workers.notify.StatusUpdates.command;
import static io.runstream.workers.notify.StatusUpdates.initialNotification;
import static io.runstream.workers.notify.StatusUpdates.resolutionNotification;
import static io.runstream.workers.notify.StatusUpdates.settings;
import static io.runstream.workers.notify.StatusUpdates.statusUpdate;
import static io.runstream.workers.notify.StatusUpdates.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionType;
import io.runstream.workers.Commands;
import io.runstream.workers.Execution;
import io.runstream.workers.http.HttpCalls;

/**
 * The exact PagerDuty Events API v2 bodies of trigger, acknowledge and resolve, as a local receiver gets them:
 * one alert per incident by dedup_key, and acknowledge and resolve without a payload, as Events v2 expects.
 */
class PageEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpCalls http = HttpCalls.create(Clock.systemUTC(), Commands.FAST_RETRIES, Duration.ofSeconds(5));
    private Receiver pagerDuty;
    private PageExecutor pager;

    @BeforeEach
    void startPagerDuty() throws IOException {
        pagerDuty = new Receiver(202, "{\"status\":\"success\",\"dedup_key\":\"inc-gateway-5xx-001\"}");
        pager = new PageExecutor(settings(null, null, pagerDuty.uri("/v2/enqueue").toString(), null)
                .pagerduty(), http);
    }

    @AfterEach
    void stopPagerDuty() {
        pagerDuty.close();
    }

    private JsonNode page(String id, Map<String, String> parameters) throws IOException {
        Execution execution = pager.execute(command(id, ActionType.PAGE, "pagerduty", "on-call", parameters), false);
        assertThat(execution.outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(execution.after()).containsEntry("dedup_key", "inc-gateway-5xx-001");
        Receiver.Request request = pagerDuty.requests().get(pagerDuty.requests().size() - 1);
        assertThat(request.path()).isEqualTo("/v2/enqueue");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        return JSON.readTree(request.body());
    }

    @Test
    void triggerCarriesTheInitialNotificationWithStartCommanderAndDashboard() throws IOException {
        JsonNode event = page("p1", with(initialNotification(), "event", "trigger", "links",
                "https://grafana.example/d/app-performance"));

        assertThat(event).isEqualTo(JSON.readTree("""
                {
                  "routing_key": "R0UT1NGKEY0000000000000000000001",
                  "event_action": "trigger",
                  "dedup_key": "inc-gateway-5xx-001",
                  "client": "Runstream",
                  "client_url": "http://127.0.0.1:8082/dashboard?incident=inc-gateway-5xx-001&tab=timeline",
                  "payload": {
                    "summary": "High Error Rate - Inference Gateway",
                    "source": "inference-gateway",
                    "severity": "critical",
                    "timestamp": "2026-12-06T14:23:00Z",
                    "component": "inference-gateway",
                    "custom_details": {
                      "incident_id": "inc-gateway-5xx-001",
                      "priority": "P1",
                      "reason": "inference-gateway error rate 12% above 0.5% for 5m",
                      "status": "Investigating",
                      "started_at": "2026-12-06T14:23:00Z",
                      "commander": "alice",
                      "impact": ["Error Rate: 12% (target: <0.5%)"]
                    }
                  },
                  "links": [
                    {"href": "http://127.0.0.1:8082/dashboard?incident=inc-gateway-5xx-001&tab=timeline",
                     "text": "Runstream dashboard"},
                    {"href": "https://grafana.example/d/app-performance", "text": "grafana.example"}
                  ]
                }
                """));
    }

    @Test
    void acknowledgeIsRoutingKeyActionAndDedupKeyOnlyWhateverElseTheCommandCarries() throws IOException {
        JsonNode event = page("p2", with(statusUpdate(), "event", "acknowledge", "dashboard",
                StatusUpdates.DASHBOARD));

        assertThat(event).isEqualTo(JSON.readTree("""
                {"routing_key": "R0UT1NGKEY0000000000000000000001", "event_action": "acknowledge",
                 "dedup_key": "inc-gateway-5xx-001"}
                """));
    }

    @Test
    void resolveIsRoutingKeyActionAndDedupKeyOnlyWhateverElseTheCommandCarries() throws IOException {
        JsonNode event = page("p3", with(resolutionNotification(), "event", "resolve"));

        assertThat(event).isEqualTo(JSON.readTree("""
                {"routing_key": "R0UT1NGKEY0000000000000000000001", "event_action": "resolve",
                 "dedup_key": "inc-gateway-5xx-001"}
                """));
    }
}
