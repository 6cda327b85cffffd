package io.runstream.processor.severity;

import static io.runstream.processor.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.Alert;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentEventType;
import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.avro.ServiceHealth;
import io.runstream.avro.Severity;
import io.runstream.processor.TopologyFixture;

/**
 * Runbook 001, Severity Levels: "P1 (Critical): > 10% error rate; P2 (High): 2-10% error rate". An incident's
 * severity follows the service's error rate as detection measures it, not only its alerts' transitions: from
 * raw request counters on metric-samples through detection, the live-impact repartition and correlation, to
 * the timeline and the escalation commands.
 */
class LiveImpactTopologyTest {

    private static final String SERVICE = "inference-gateway";
    private static final String NAMESPACE = "ml-prod";
    /**
     * The runbooks' error-rate bands, with critical alerts at P2 spelled out, so the rise to P1 can only come from
     * the measured error rate (whatever the default for critical alerts becomes).
     */
    private static final SeverityPolicy CRITICAL_IS_P2 = new SeverityPolicy(Severity.P3,
            Map.of("critical", Severity.P2, "warning", Severity.P3, "info", Severity.P4),
            List.of(new ImpactThreshold(0.10, Severity.P1), new ImpactThreshold(0.02, Severity.P2)), Set.of());

    private final TopologyFixture pipeline = new TopologyFixture(CRITICAL_IS_P2);
    private final TestInputTopic<String, MetricSample> samples = pipeline.driver.createInputTopic(
            pipeline.topics.metricSamples().name(), pipeline.topics.metricSamples().keySerde().serializer(),
            pipeline.topics.metricSamples().valueSerde().serializer());
    private final TestOutputTopic<String, Alert> detectedAlerts = pipeline.driver.createOutputTopic(
            pipeline.topics.alerts().name(), pipeline.topics.alerts().keySerde().deserializer(),
            pipeline.topics.alerts().valueSerde().deserializer());
    /** What detection hands the incident path: the service-impact topic. */
    private final TestOutputTopic<String, ServiceHealth> impactChanges = pipeline.driver.createOutputTopic(
            pipeline.topics.serviceImpact().name(), pipeline.topics.serviceImpact().keySerde().deserializer(),
            pipeline.topics.serviceImpact().valueSerde().deserializer());
    private Instant wallClock = T0;
    /** Cumulative request counters of each service, as a long-running service's start high. */
    private final Map<String, double[]> counters = new HashMap<>();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void incidentOpenedAtSixPercentRisesToP1WhenTheErrorRateClimbsPastTenPercentWithoutANewAlert() {
        // Given 6 % of requests failing: HighErrorRate critical (> 5 % for 2 m) fires at the 135 s step, evaluated
        // once samples pass 165 s, and opens the incident at P2 (runbook 001: 2-10 % is P2).
        scrape(SERVICE, 0, 180, 94, 6);
        Incident opened = lastIncident();
        assertThat(opened.getSeverity()).isEqualTo(Severity.P2);
        assertThat(opened.getErrorRate()).isEqualTo(0.06, within(1e-9));
        advanceWallClock(Duration.ofSeconds(1));
        detectedAlerts.readValuesToList();
        pipeline.incidentEvents.readValuesToList();
        pipeline.actionCommands.readValuesToList();

        // When 30 % fail after 180 s: the 5 m error rate passes 10 % at the 225 s step (evaluated past 255 s),
        // while the critical alert keeps firing and warning (> 1 % for 5 m) is due only at 315 s.
        scrape(SERVICE, 195, 285, 70, 30);

        // Then no alert changed, yet the incident is P1, says why on its timeline, and pages the on-call at once.
        assertThat(detectedAlerts.readValuesToList()).isEmpty();
        Incident raised = lastIncident();
        assertThat(raised.getId()).isEqualTo(opened.getId());
        assertThat(raised.getSeverity()).isEqualTo(Severity.P1);
        assertThat(raised.getErrorRate()).isGreaterThan(0.10);
        assertThat(raised.getPeakErrorRate()).isEqualTo(raised.getErrorRate());
        List<IncidentEvent> events = pipeline.incidentEvents.readValuesToList();
        // ... and, P1 above 10 % (runbook 001, "Severity Assessment"), rolls back at once
        assertThat(events).extracting(IncidentEvent::getType).containsExactly(IncidentEventType.SEVERITY_CHANGED,
                IncidentEventType.ACTION_ISSUED, IncidentEventType.ESCALATED, IncidentEventType.ESCALATED);
        assertThat(events.get(0).getDetails()).containsEntry("from", "P2").containsEntry("to", "P1");
        assertThat(events.get(0).getMessage()).startsWith("severity P2 -> P1: error rate 1");
        List<KeyValue<String, ActionCommand>> commands = pipeline.actionCommands.readKeyValuesToList();
        assertThat(commands).extracting(command -> command.key)
                .containsExactly("Deployment/ml-prod/inference-gateway", "slack//ml-ops-oncall", "pagerduty//on-call");
        assertThat(commands.get(0).value.getType()).isEqualTo(io.runstream.avro.ActionType.ROLLOUT_UNDO);
        assertThat(commands.get(2).value.getParameters()).containsEntry("severity", "P1");
    }

    @Test
    void severityStaysP1WhenTheErrorRateFallsBackUnderTenPercent() {
        // Given the incident rose to P1 at 30 % failures (runbook 001, Severity Levels).
        scrape(SERVICE, 0, 180, 94, 6);
        scrape(SERVICE, 195, 285, 70, 30);
        assertThat(lastIncident().getSeverity()).isEqualTo(Severity.P1);
        pipeline.incidentEvents.readValuesToList();

        // When the failures fall back to 6 % and the 5 m error rate under 10 % (2-10 %: P2's band).
        scrape(SERVICE, 300, 660, 94, 6);

        // Then the incident shows the lower measured rate, but its severity only rises while it lives.
        Incident current = lastIncident();
        assertThat(current.getErrorRate()).isLessThan(0.10).isGreaterThan(0.02);
        assertThat(current.getPeakErrorRate()).isGreaterThan(0.10);
        assertThat(current.getSeverity()).isEqualTo(Severity.P1);
        assertThat(pipeline.incidentEvents.readValuesToList()).extracting(IncidentEvent::getType)
                .doesNotContain(IncidentEventType.SEVERITY_CHANGED);
    }

    @Test
    void impactOfAServiceWithoutAnIncidentOpensNothing() {
        // Given feature-store at 3 % failures (runbook 001's P2 band) for 2 minutes, too short for warning's 5 m.
        scrape("feature-store", 0, 120, 97, 3);

        // Then detection reported the impact, and correlation, with no incident under its key, ignored it.
        assertThat(impactChanges.readKeyValuesToList()).extracting(record -> record.key)
                .containsExactly(NAMESPACE + "/feature-store");
        assertThat(pipeline.incidents.isEmpty()).isTrue();
        assertThat(pipeline.incidentEvents.isEmpty()).isTrue();
        assertThat(pipeline.actionCommands.isEmpty()).isTrue();
        assertThat(pipeline.registry.get("runstream_correlation_impact_without_incident").counter().count())
                .isEqualTo(1);
    }

    @Test
    void detectionReportsImpactOncePerBandCrossingNotOncePerEvaluation() {
        // Given 6 % failures for 10 minutes (40 evaluations in runbook 001's P2 band), then 30 % (its P1 band).
        scrape(SERVICE, 0, 600, 94, 6);
        scrape(SERVICE, 615, 900, 70, 30);

        // Then the incident path got one record for entering P2's band and one for entering P1's, keyed by the
        // correlation key of the service's alerts.
        List<KeyValue<String, ServiceHealth>> reported = impactChanges.readKeyValuesToList();
        assertThat(reported).extracting(record -> record.key).containsExactly(NAMESPACE + "/" + SERVICE,
                NAMESPACE + "/" + SERVICE);
        assertThat(reported.get(0).value.getErrorRate()).isBetween(0.02, 0.10);
        assertThat(reported.get(1).value.getErrorRate()).isGreaterThan(0.10);
        assertThat(lastIncident().getCorrelationKey()).isEqualTo(reported.get(0).key);
    }

    /** A scrape every 15 s of {@code service}'s http_requests_total, 200 and 500 series, at the given rates. */
    private void scrape(String service, long fromSecond, long toSecond, double okPerSecond, double failedPerSecond) {
        double[] counts = counters.computeIfAbsent(service, s -> new double[] {100_000, 5_000});
        for (long second = fromSecond; second <= toSecond; second += 15) {
            if (second > 0) {
                counts[0] += okPerSecond * 15;
                counts[1] += failedPerSecond * 15;
            }
            Instant time = T0.plusSeconds(second);
            // Samples arrive as they are scraped: the wall clock (and the escalation timers) keep up with them.
            if (time.isAfter(wallClock)) {
                advanceWallClock(Duration.between(wallClock, time));
            }
            sample(service, "200", counts[0], time);
            sample(service, "500", counts[1], time);
        }
    }

    private void advanceWallClock(Duration duration) {
        pipeline.driver.advanceWallClockTime(duration);
        wallClock = wallClock.plus(duration);
    }

    private void sample(String service, String status, double value, Instant time) {
        samples.pipeInput(service, MetricSample.newBuilder().setName("http_requests_total").setService(service)
                .setLabels(Map.of("service", service, "namespace", NAMESPACE, "status", status))
                .setKind(MetricKind.COUNTER).setValue(value).setTimestamp(time).build(), time);
    }

    private Incident lastIncident() {
        List<Incident> states = pipeline.incidents.readValuesToList();
        assertThat(states).as("incident states since the last look").isNotEmpty();
        return states.get(states.size() - 1);
    }
}
