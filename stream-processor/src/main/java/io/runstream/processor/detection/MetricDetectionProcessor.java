package io.runstream.processor.detection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import org.apache.avro.specific.SpecificRecord;

import io.runstream.avro.Alert;
import io.runstream.avro.MetricSample;
import io.runstream.avro.ServiceHealth;
import io.runstream.processor.rules.EvaluationSettings;
import io.runstream.processor.rules.RuleKind;
import io.runstream.processor.rules.Threshold;
import io.runstream.processor.severity.LiveImpact;
import io.runstream.processor.severity.SeverityPolicy;

/**
 * Evaluates the metric rules per service in event time. Each sample goes into the service's window (memory
 * plus the samples store); a service's rules are evaluated at every step of {@code evaluation.interval} (epoch
 * aligned) once its samples have gone {@code lateGrace} past the step, so a step sees every sample up to
 * grace late. A sample older than the newest minus the grace can no longer be placed and is dropped and
 * counted. Each evaluation steps the {@code for:} state machines, forwards their transitions as alerts, and
 * writes the service's health and appends it to the service's bounded history ({@link HealthHistory}). When
 * the health's impact band ({@link LiveImpact#band}) differs from the previous health's, the health itself is
 * forwarded too, keyed by service, so incidents follow the measured impact between alert transitions.
 * <p>
 * A service that stops sending samples would never reach its next step, so its alerts would fire forever.
 * Like Prometheus, where a series that is no longer scraped goes stale and its alerts resolve, a service that
 * has sent nothing for {@link #SILENCE} of wall-clock time has its event time carried forward by the time it
 * has been silent: its samples leave the ranges and its alerts resolve. Silence is a per-service wall-clock
 * matter on purpose: the task's stream time would let one service with a clock running ahead (or a late
 * replay) declare every other service on the partition silent and push their steps past their samples.
 * <p>
 * Rule state, health and the alerts are written together at each evaluation, exactly once. Samples are kept
 * in memory and written to the samples store in segments (one entry per service per flush, not per sample)
 * at each evaluation and every second of wall-clock time (or commit interval, if longer); the next owner of
 * the task after a crash (or a rebalance that commits before closing the processor) can therefore miss from
 * the windows the samples accepted in that last interval, which rate() sees as a missed scrape.
 */
final class MetricDetectionProcessor implements Processor<String, MetricSample, String, SpecificRecord> {

    /** Prometheus' default lookback delta: a series without samples for this long is stale. */
    static final Duration SILENCE = Duration.ofMinutes(5);
    /**
     * How far ahead of the wall clock a sample may be stamped. Beyond it the clock that stamped it is wrong, and
     * accepting it would make the service's genuine samples look late until real time caught up.
     */
    static final Duration MAX_AHEAD = Duration.ofMinutes(10);

    private final List<CompiledRule> rules;
    /** Metric name -> the longest range any rule (or health measure) reads it over; absent: not needed. */
    private final Map<String, Long> rangeByMetric = new HashMap<>();
    private final HealthSnapshot health;
    private final long intervalMillis;
    private final long graceMillis;
    private final long longestRangeMillis;
    private final DetectionMetrics metrics;
    private final SeverityPolicy severity;
    /** The metrics absent rules read: a service's first sample of one is remembered in its state. */
    private final Set<String> absentMetrics = new HashSet<>();
    /**
     * Services a silence concerns: those with pending or firing alerts (a silence would leave them stuck) and,
     * after a restart, those that have sent a metric an absent rule reads (a silence must raise it).
     */
    private final Set<String> withActiveAlerts = new HashSet<>();
    private ProcessorContext<String, SpecificRecord> context;
    private ServiceWindows windows;
    private KeyValueStore<String, ServiceHealth> healthStore;
    private HealthHistory history;

    MetricDetectionProcessor(List<CompiledRule> rules, EvaluationSettings evaluation, SeverityPolicy severity,
            DetectionMetrics metrics) {
        this.rules = rules;
        this.metrics = metrics;
        this.severity = severity;
        this.health = new HealthSnapshot(rules);
        List<CompiledRule> readers = new ArrayList<>(rules);
        readers.addAll(health.rules());
        for (CompiledRule rule : readers) {
            for (String metric : rule.rule().metrics().values()) {
                rangeByMetric.merge(metric, rule.rangeMillis(), Math::max);
            }
        }
        for (CompiledRule rule : rules) {
            if (rule.rule().kind() == RuleKind.ABSENT) {
                absentMetrics.add(rule.metric("series"));
            }
        }
        this.intervalMillis = evaluation.interval().toMillis();
        this.graceMillis = evaluation.lateGrace().toMillis();
        this.longestRangeMillis = rangeByMetric.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        KeyValueStore<String, EvaluationState> states = context.getStateStore(DetectionStage.RULE_STATE_STORE);
        this.windows = new ServiceWindows(new SampleStore(context.getStateStore(DetectionStage.SAMPLES_STORE)),
                states);
        this.healthStore = context.getStateStore(DetectionStage.SERVICE_HEALTH_STORE);
        this.history = new HealthHistory(context.getStateStore(DetectionStage.HEALTH_HISTORY_STORE));
        withActiveAlerts.clear();
        // One scan at start, of one small entry per service, to know which services may need resolving.
        try (KeyValueIterator<String, EvaluationState> all = states.all()) {
            all.forEachRemaining(entry -> {
                if (!entry.value.active().isEmpty() || mayGoAbsent(entry.value)) {
                    withActiveAlerts.add(entry.key);
                }
            });
        }
        context.schedule(Duration.ofMillis(intervalMillis), PunctuationType.WALL_CLOCK_TIME,
                this::evaluateSilentServices);
        context.schedule(flushInterval(context), PunctuationType.WALL_CLOCK_TIME, now -> windows.flushAll());
    }

    @Override
    public void close() {
        // Kept whenever the task commits after closing its processors (e.g. on shutdown).
        windows.flushAll();
    }

    @Override
    public void process(Record<String, MetricSample> record) {
        MetricSample sample = record.value();
        if (sample == null) {
            return;
        }
        metrics.sampleProcessed();
        String service = record.key() != null ? record.key() : sample.getService();
        long now = context.currentSystemTimeMs();
        ServiceWindow window = windows.get(service, now);
        long time = sample.getTimestamp().toEpochMilli();
        if (time > now + MAX_AHEAD.toMillis()) {
            metrics.futureSampleDropped(service);
            return;
        }
        if (isLate(window, time)) {
            metrics.lateSampleDropped(service);
            return;
        }
        window.arrived(now);
        Map<String, String> labels = sample.getLabels();
        String namespace = labels.get("namespace");
        if (namespace != null && !namespace.equals(window.state().namespace())) {
            window.state().namespace(namespace);
        }
        if (absentMetrics.contains(sample.getName())) {
            window.state().sent(sample.getName());
        }
        if (rangeByMetric.containsKey(sample.getName())) {
            String labelsKey = Series.labelsKey(labels);
            Series series = window.matching(sample.getName(), labelsKey);
            if (series == null) {
                series = windows.newSeries(window, sample.getName(), labelsKey, labels);
            }
            windows.accepted(service, window, series, time, sample.getValue());
        }
        window.observed(time);
        evaluateDueSteps(service, window, window.maxTimestamp() - graceMillis);
    }

    /** Older than the newest sample minus the grace, or at or before a step already evaluated. */
    private boolean isLate(ServiceWindow window, long time) {
        long next = window.state().nextEvaluation();
        boolean beforeGrace = window.maxTimestamp() != Long.MIN_VALUE && time < window.maxTimestamp() - graceMillis;
        return beforeGrace || (next != EvaluationState.UNSET && time <= next - intervalMillis);
    }

    /**
     * Evaluates the services silent for {@link #SILENCE}, their event time carried forward by how long they
     * have been silent, so that their alerts resolve, absent rules fire and their health shows the missing data;
     * forgets their windows once emptied, so a service that stopped for good costs no memory, unless it sent a
     * metric an absent rule reads (its absent alert then fires, and holds until it sends again). Runs every
     * evaluation interval of wall-clock time, over the services in memory.
     */
    private void evaluateSilentServices(long now) {
        for (String service : List.copyOf(withActiveAlerts)) {
            windows.get(service, now);
        }
        for (String service : windows.inMemory()) {
            ServiceWindow window = windows.get(service, now);
            long silentFor = now - window.lastArrival();
            if (silentFor <= SILENCE.toMillis()) {
                continue;
            }
            long lastKnown = window.maxTimestamp() != Long.MIN_VALUE ? window.maxTimestamp()
                    : window.state().nextEvaluation() - intervalMillis;
            if (window.state().nextEvaluation() != EvaluationState.UNSET) {
                evaluateDueSteps(service, window, lastKnown + silentFor - graceMillis);
            }
            // A service that sent what an absent rule reads stays: its silence is what that rule reports.
            if (window.isEmpty() && window.state().active().isEmpty() && !mayGoAbsent(window.state())) {
                windows.forget(service);
            }
        }
    }

    /** True when the service has sent a metric an absent rule reads, so its silence raises that rule. */
    private boolean mayGoAbsent(EvaluationState state) {
        for (String metric : absentMetrics) {
            if (state.hasSent(metric)) {
                return true;
            }
        }
        return false;
    }

    /** Evaluates every step before {@code watermark} not evaluated yet. */
    private void evaluateDueSteps(String service, ServiceWindow window, long watermark) {
        EvaluationState state = window.state();
        boolean evaluated = false;
        while (true) {
            if (state.active().isEmpty()) {
                skipStepsWithoutSamples(window, watermark);
            }
            long time = state.nextEvaluation();
            if (time >= watermark) {
                break;
            }
            evaluate(service, window, time);
            state.nextEvaluation(time + intervalMillis);
            // The next range is (next - range, next]: older samples can no longer count.
            windows.prune(window, time + intervalMillis,
                    metric -> rangeByMetric.getOrDefault(metric, longestRangeMillis), longestRangeMillis);
            evaluated = true;
        }
        if (evaluated) {
            windows.save(service, window);
            if (state.active().isEmpty()) {
                withActiveAlerts.remove(service);
            } else {
                withActiveAlerts.add(service);
            }
        }
    }

    /**
     * With nothing pending or firing, steps before the earliest sample held can change nothing: jump over
     * them (a new service, or one back after a long silence) instead of evaluating empty ranges one by one.
     */
    private void skipStepsWithoutSamples(ServiceWindow window, long watermark) {
        long next = window.state().nextEvaluation();
        if (next != EvaluationState.UNSET && next >= watermark - longestRangeMillis) {
            // No gap longer than a range to jump over: the common case, decided without looking at the series.
            return;
        }
        long earliest = window.earliestTimestamp();
        long firstUseful = alignUp(earliest == Long.MAX_VALUE ? watermark : earliest);
        if (window.state().nextEvaluation() == EvaluationState.UNSET || window.state().nextEvaluation() < firstUseful) {
            window.state().nextEvaluation(firstUseful);
        }
    }

    private void evaluate(String service, ServiceWindow window, long time) {
        Map<String, String> subject = new HashMap<>();
        subject.put("service", service);
        if (window.state().namespace() != null) {
            subject.put("namespace", window.state().namespace());
        }
        Set<String> firing = new LinkedHashSet<>();
        Evaluation evaluation = new Evaluation(window, time);
        for (CompiledRule rule : rules) {
            Map<String, Double> groups = evaluation.groups(rule);
            for (Threshold threshold : rule.rule().thresholds()) {
                String prefix = rule.rule().name() + "/" + threshold.severity();
                for (Map.Entry<String, Double> group : groups.entrySet()) {
                    step(window, subject, rule, threshold, prefix, group.getKey(), group.getValue(), time, firing);
                }
                if (rule.rule().kind().selectsSeries()) {
                    stepVanishedGroups(window, subject, rule, threshold, prefix, groups.keySet(), time, firing);
                }
            }
        }
        ServiceHealth measured = health.measure(service, evaluation, new ArrayList<>(firing));
        ServiceHealth previous = healthStore.get(service);
        healthStore.put(service, measured);
        history.record(service, time, measured);
        // Once per band crossing, not per evaluation: the incident path sees a record per change of impact.
        if (LiveImpact.bandChanged(severity, previous, measured)) {
            metrics.impactChanged();
            context.forward(new Record<>(service, measured, time));
        }
    }

    /** A group with an active alert and no value now (its series are gone) no longer holds: steps it so. */
    private void stepVanishedGroups(ServiceWindow window, Map<String, String> subject, CompiledRule rule,
            Threshold threshold, String prefix, Set<String> present, long time, Set<String> firing) {
        if (window.state().active().isEmpty()) {
            return;
        }
        for (String key : List.copyOf(window.state().active().keySet())) {
            String group = AlertKeys.groupOf(key, prefix);
            if (group != null && !present.contains(group)) {
                step(window, subject, rule, threshold, prefix, group, Double.NaN, time, firing);
            }
        }
    }

    /** Steps one group's {@code for:} state machine and forwards its transition, labelled with the group. */
    private void step(ServiceWindow window, Map<String, String> subject, CompiledRule rule, Threshold threshold,
            String prefix, String group, double value, long time, Set<String> firing) {
        String key = AlertKeys.key(prefix, group);
        boolean holds = !Double.isNaN(value) && threshold.holds(value);
        AlertLifecycle.step(window.state().active(), key, holds, time, threshold.holdFor()).ifPresent(transition -> {
            Map<String, String> labels = subject;
            if (!group.isEmpty()) {
                labels = new HashMap<>(subject);
                labels.putAll(Series.labelsOf(group));
            }
            forward(DetectedAlerts.alert(rule.rule(), threshold, labels, transition, time, value), time);
        });
        ActiveAlert active = window.state().active().get(key);
        if (active != null && active.firing()) {
            firing.add(rule.rule().name());
        }
    }

    private void forward(Alert alert, long time) {
        metrics.alertEmitted(alert.getLabels().get("alertname"), alert.getStatus().name());
        context.forward(new Record<>(alert.getFingerprint(), alert, time));
    }

    private long alignUp(long time) {
        return Math.floorDiv(time + intervalMillis - 1, intervalMillis) * intervalMillis;
    }

    /**
     * How often unflushed samples are written: the commit interval, but at least a second, so that a busy
     * service writes a segment of many samples rather than many segments of few. A crash loses at most the
     * samples of that last interval from the windows.
     */
    private static Duration flushInterval(ProcessorContext<?, ?> context) {
        Object configured = context.appConfigs().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        long millis = configured == null ? 0 : Long.parseLong(configured.toString());
        return Duration.ofMillis(Math.max(1_000, millis));
    }
}
