package io.runstream.launcher.backtest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionTarget;
import io.runstream.avro.ActionType;
import io.runstream.avro.AlertRef;
import io.runstream.avro.Incident;
import io.runstream.processor.escalation.NotifiedChannels;

/**
 * What the candidate configuration would have done differently from the current one over the same recorded
 * history: the report {@code runstream backtest} prints, writes as JSON and draws as HTML. Built by
 * {@link #compare}; plain values, so that JSON is a faithful copy of it.
 *
 * <p>Two incidents are the same incident when they share their correlation key and their open periods overlap
 * (ids cannot be compared: an incident a configuration opens later has another id). Time to detect is measured,
 * for each pair, from the earliest alert onset either configuration saw ({@code startsAt}: for a detected alert the
 * first evaluation at which its condition held) to the incident's opening.
 */
public record BacktestReport(Instant from, Instant to, Side current, Side candidate, List<Pair> foundByBoth,
        List<IncidentSummary> onlyCurrent, List<IncidentSummary> onlyCandidate, Double meanTimeToDetectCurrentSeconds,
        Double meanTimeToDetectCandidateSeconds, Replayed replayed, List<String> limits) {

    /** What cannot be replayed; printed with every report and in docs/backtest.md. */
    public static final List<String> LIMITS = List.of(
            "Human acknowledgements and other incident commands, and the action workers' results, are taken from "
                    + "the recorded incident-commands and action-results: they reach an incident only where it "
                    + "exists in the replay under the id it had live (ids are replay-stable); for any other "
                    + "incident they are treated as never arriving (no ack stops its escalation, no action result "
                    + "moves its runbook on).",
            "Actions are never executed; pages and notifications are counted, not sent.",
            "Wall-clock timers (escalation, status updates, recovery hold, detection of silent services) run on "
                    + "the replayed clock: the records' timestamps, advanced one second at a time.",
            "Only the records inside the range are replayed: state built from earlier records (open incidents, "
                    + "detection windows) starts empty at the range's start.",
            "Each partition is read up to an hour past the range's end: a record whose timestamp is more than an "
                    + "hour older than records written before it in its partition is not replayed.");

    /** One configuration's totals. */
    public record Side(String name, String rules, String runbooks, int incidents, Map<String, Integer> bySeverity,
            int pages, Map<String, Integer> pagesByTarget, Map<String, Integer> actionsByTypeAndTarget,
            double pagesPerWeek, List<Day> days, long deadLetters) {
    }

    /** One UTC day of a configuration: incidents opened by severity, and pages. */
    public record Day(LocalDate day, Map<String, Integer> bySeverity, int pages) {
    }

    /** An incident, with the alerts behind it. */
    public record IncidentSummary(String id, String service, String correlationKey, Instant openedAt,
            String severity, List<AlertSummary> alerts) {
    }

    public record AlertSummary(String alertname, String fingerprint, Instant startsAt) {
    }

    /** The same incident found by both, with each one's time to detect. */
    public record Pair(IncidentSummary current, IncidentSummary candidate, long currentTimeToDetectSeconds,
            long candidateTimeToDetectSeconds) {
    }

    /**
     * How much was replayed and how fast: the wall time of the two replays side by side, and the CPU time they took
     * together (which, unlike wall time, does not depend on what else the machine runs).
     */
    public record Replayed(long records, Map<String, Long> recordsByTopic, double replaySeconds,
            double timesFasterThanRealTime, double replayCpuSeconds) {
    }

    /** The configuration a side ran: its name and where its rules and runbooks came from. */
    public record Config(String name, String rules, String runbooks) {
    }

    /** {@code took}: the wall-clock time of both replays (which may have run side by side). */
    public static BacktestReport compare(Instant from, Instant to, Duration took, Config currentConfig,
            Replay.Outcome current, Config candidateConfig, Replay.Outcome candidate) {
        List<Pair> pairs = new ArrayList<>();
        List<Replay.ReplayedIncident> unmatchedCandidate = new ArrayList<>(candidate.incidents());
        List<IncidentSummary> onlyCurrent = new ArrayList<>();
        for (Replay.ReplayedIncident mine : current.incidents()) {
            Replay.ReplayedIncident theirs = unmatchedCandidate.stream()
                    .filter(other -> sameIncident(mine.last(), other.last(), to)).findFirst().orElse(null);
            if (theirs == null) {
                onlyCurrent.add(summary(mine));
                continue;
            }
            unmatchedCandidate.remove(theirs);
            long onset = Math.min(onset(mine.last()), onset(theirs.last()));
            pairs.add(new Pair(summary(mine), summary(theirs), (mine.last().getOpenedAt().toEpochMilli() - onset) / 1000,
                    (theirs.last().getOpenedAt().toEpochMilli() - onset) / 1000));
        }
        double seconds = took.toNanos() / 1e9;
        double range = Duration.between(from, to).toMillis() / 1000.0;
        return new BacktestReport(from, to, side(currentConfig, current, from, to), side(candidateConfig, candidate,
                from, to), pairs, onlyCurrent, unmatchedCandidate.stream().map(BacktestReport::summary).toList(),
                mean(pairs.stream().map(Pair::currentTimeToDetectSeconds).toList()),
                mean(pairs.stream().map(Pair::candidateTimeToDetectSeconds).toList()),
                new Replayed(current.records(), new TreeMap<>(current.recordsByTopic()), seconds,
                        seconds == 0 ? 0 : range / seconds,
                        (current.cpu().toNanos() + candidate.cpu().toNanos()) / 1e9), LIMITS);
    }

    /** The headline. */
    public String headline() {
        return String.format("pages per week: current %s, candidate %s", perWeek(current.pagesPerWeek()),
                perWeek(candidate.pagesPerWeek()));
    }

    private static String perWeek(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format("%.1f", value);
    }

    private static boolean sameIncident(Incident a, Incident b, Instant to) {
        return a.getCorrelationKey().equals(b.getCorrelationKey())
                && !a.getOpenedAt().isAfter(end(b, to)) && !b.getOpenedAt().isAfter(end(a, to));
    }

    private static Instant end(Incident incident, Instant to) {
        return incident.getResolvedAt() != null ? incident.getResolvedAt() : to;
    }

    private static long onset(Incident incident) {
        return incident.getAlerts().stream().mapToLong(alert -> alert.getStartsAt().toEpochMilli()).min()
                .orElse(incident.getOpenedAt().toEpochMilli());
    }

    private static Double mean(List<Long> values) {
        return values.isEmpty() ? null : values.stream().mapToLong(Long::longValue).average().orElse(0);
    }

    private static IncidentSummary summary(Replay.ReplayedIncident replayed) {
        Incident incident = replayed.last();
        List<AlertSummary> alerts = incident.getAlerts().stream()
                .sorted(Comparator.comparing(AlertRef::getStartsAt))
                .map(alert -> new AlertSummary(alert.getAlertname(), alert.getFingerprint(), alert.getStartsAt()))
                .toList();
        return new IncidentSummary(incident.getId(), incident.getService(), incident.getCorrelationKey(),
                incident.getOpenedAt(), replayed.highestSeverity().name(), alerts);
    }

    private static Side side(Config config, Replay.Outcome outcome, Instant from, Instant to) {
        Map<String, Integer> bySeverity = new TreeMap<>();
        Map<LocalDate, Map<String, Integer>> severityByDay = new TreeMap<>();
        Map<LocalDate, Integer> pagesByDay = new TreeMap<>();
        for (LocalDate day = day(from); !day.isAfter(day(to.minusMillis(1))); day = day.plusDays(1)) {
            severityByDay.put(day, new TreeMap<>());
            pagesByDay.put(day, 0);
        }
        for (Replay.ReplayedIncident incident : outcome.incidents()) {
            String severity = incident.highestSeverity().name();
            bySeverity.merge(severity, 1, Integer::sum);
            severityByDay.computeIfAbsent(day(incident.last().getOpenedAt()), d -> new TreeMap<>())
                    .merge(severity, 1, Integer::sum);
        }
        Map<String, Integer> pagesByTarget = new TreeMap<>();
        Map<String, Integer> actions = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        int pages = 0;
        for (ActionCommand command : outcome.commands()) {
            if (!seen.add(command.getCommandId())) {
                continue; // a command re-issued under its idempotency id runs once
            }
            actions.merge(command.getType() + " " + target(command.getTarget()), 1, Integer::sum);
            // a close-out (PagerDuty resolve or acknowledge of an earlier page) wakes nobody: not a page
            if (command.getType() == ActionType.PAGE && !NotifiedChannels.closes(command)) {
                pages++;
                pagesByTarget.merge(target(command.getTarget()), 1, Integer::sum);
                pagesByDay.merge(day(command.getIssuedAt()), 1, Integer::sum);
            }
        }
        List<Day> days = severityByDay.entrySet().stream()
                .map(e -> new Day(e.getKey(), e.getValue(), pagesByDay.getOrDefault(e.getKey(), 0))).toList();
        double weeks = Duration.between(from, to).toMillis() / (double) Duration.ofDays(7).toMillis();
        return new Side(config.name(), config.rules(), config.runbooks(), outcome.incidents().size(), bySeverity,
                pages, pagesByTarget, actions, weeks == 0 ? 0 : Math.round(pages / weeks * 10) / 10.0, days,
                outcome.deadLetters());
    }

    static String target(ActionTarget target) {
        return target.getKind() + "/" + (target.getNamespace() == null ? "" : target.getNamespace() + "/")
                + target.getName();
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
