package io.runstream.processor.runbook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.serialization.Serde;

import io.runstream.avro.RunbookProgressState;
import io.runstream.avro.RunbookRunState;
import io.runstream.avro.RunbookRunStatus;
import io.runstream.schemas.StateSerdes;

/**
 * Every runbook that runs for one episode of an incident, as kept in {@code runbook-progress-store} (correlation
 * key -> {@link RunbookProgressState}): each runbook's {@link RunbookProgress}, most recently changed last, and
 * the changes already issued in the episode ({@code ACTION kind/namespace/name}), which no second runbook issues
 * again.
 *
 * <p>Earlier releases kept it as text, still read ({@link #fromPreviousText}): version 2, records separated by
 * U+001E, the first {@code 2 US incidentId US episode US changes} (changes separated by U+001D), each further one
 * {@code runbook US step US commandId US status}; before that, one runbook as
 * {@code incidentId US runbook US step US commandId US status}, which is read as that runbook's progress in the
 * incident's current episode, so a step issued before an upgrade still takes its result.
 */
public final class EpisodeProgress {

    private static final char RECORD = '\u001e';
    private static final char UNIT = '\u001f';
    private static final char GROUP = '\u001d';
    private static final String TEXT_VERSION = "2";
    /** A run's command id when it has none, as {@link RunbookProgress} spells it. */
    private static final String NO_COMMAND = "-";

    private final String incidentId;
    private final int episode;
    private final List<RunbookProgress> runs;
    private final Set<String> changes;

    EpisodeProgress(String incidentId, int episode, List<RunbookProgress> runs, Set<String> changes) {
        this.incidentId = incidentId;
        this.episode = episode;
        this.runs = new ArrayList<>(runs);
        this.changes = new LinkedHashSet<>(changes);
    }

    static EpisodeProgress empty(String incidentId, int episode) {
        return new EpisodeProgress(incidentId, episode, List.of(), Set.of());
    }

    String incidentId() {
        return incidentId;
    }

    int episode() {
        return episode;
    }

    List<RunbookProgress> runs() {
        return List.copyOf(runs);
    }

    Optional<RunbookProgress> of(String runbook) {
        return runs.stream().filter(r -> r.runbook().equals(runbook)).findFirst();
    }

    /** Replaces the runbook's progress and moves it last (most recently changed). */
    void put(RunbookProgress progress) {
        runs.removeIf(r -> r.runbook().equals(progress.runbook()));
        runs.add(progress);
    }

    boolean issued(String change) {
        return changes.contains(change);
    }

    void recordIssued(String change) {
        changes.add(change);
    }

    /** The serde of {@code runbook-progress-store}'s values. */
    public static Serde<RunbookProgressState> serde() {
        return StateSerdes.withPreviousText(RunbookProgressState.class, EpisodeProgress::fromPreviousText);
    }

    RunbookProgressState toState() {
        List<RunbookRunState> states = runs.stream().map(run -> RunbookRunState.newBuilder()
                .setRunbook(run.runbook()).setStep(run.step())
                .setCommandId(NO_COMMAND.equals(run.commandId()) ? null : run.commandId())
                .setStatus(RunbookRunStatus.valueOf(run.status().name())).build()).toList();
        return RunbookProgressState.newBuilder().setIncidentId(incidentId).setEpisode(episode).setRuns(states)
                .setIssuedChanges(List.copyOf(changes)).build();
    }

    /**
     * @param currentEpisode the incident's episode now, which a value without an episode (migrated from the
     *        single-runbook text) is read as belonging to
     */
    static EpisodeProgress fromState(RunbookProgressState state, int currentEpisode) {
        List<RunbookProgress> runs = state.getRuns().stream().map(run -> new RunbookProgress(run.getRunbook(),
                run.getStep(), run.getCommandId() == null ? NO_COMMAND : run.getCommandId(), status(run.getStatus())))
                .toList();
        return new EpisodeProgress(state.getIncidentId(),
                state.getEpisode() == null ? currentEpisode : state.getEpisode(), runs,
                new LinkedHashSet<>(state.getIssuedChanges()));
    }

    /** A status a later release added: the runbook does nothing more in the episode rather than repeat a step. */
    private static RunbookProgress.Status status(RunbookRunStatus status) {
        return status == RunbookRunStatus.UNKNOWN ? RunbookProgress.Status.EXHAUSTED
                : RunbookProgress.Status.valueOf(status.name());
    }

    /** A value of the previous releases' text encodings (see the class comment). */
    static RunbookProgressState fromPreviousText(String text) {
        String[] records = text.split(String.valueOf(RECORD), -1);
        String[] header = fields(records[0]);
        if (records.length == 1 && header.length == 5) {
            return state(header[0], null, List.of(run(header[1], header[2], header[3], header[4])), List.of());
        }
        if (header.length != 4 || !TEXT_VERSION.equals(header[0])) {
            throw new IllegalArgumentException("runbook-progress-store holds an unreadable value: header of "
                    + header.length + " fields, version '" + header[0] + "'");
        }
        List<String> changes = new ArrayList<>();
        for (String change : header[3].split(String.valueOf(GROUP), -1)) {
            if (!change.isEmpty()) {
                changes.add(change);
            }
        }
        List<RunbookRunState> runs = new ArrayList<>();
        for (int i = 1; i < records.length; i++) {
            String[] run = fields(records[i]);
            if (run.length != 4) {
                throw new IllegalArgumentException("runbook-progress-store holds an unreadable runbook entry of "
                        + run.length + " fields for incident " + header[1]);
            }
            runs.add(run(run[0], run[1], run[2], run[3]));
        }
        return state(header[1], Integer.parseInt(header[2]), runs, changes);
    }

    private static RunbookProgressState state(String incidentId, Integer episode, List<RunbookRunState> runs,
            List<String> changes) {
        return RunbookProgressState.newBuilder().setIncidentId(incidentId).setEpisode(episode).setRuns(runs)
                .setIssuedChanges(changes).build();
    }

    private static String[] fields(String record) {
        return record.split(String.valueOf(UNIT), -1);
    }

    private static RunbookRunState run(String runbook, String step, String commandId, String status) {
        return RunbookRunState.newBuilder().setRunbook(runbook).setStep(Integer.parseInt(step))
                .setCommandId(NO_COMMAND.equals(commandId) ? null : commandId)
                .setStatus(RunbookRunStatus.valueOf(status)).build();
    }
}
