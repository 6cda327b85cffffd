package io.runstream.processor.runbook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every runbook that runs for one episode of an incident, as kept in {@code runbook-progress-store} (correlation
 * key -> this, encoded): each runbook's {@link RunbookProgress}, most recently changed last, and the changes
 * already issued in the episode ({@code ACTION kind/namespace/name}), which no second runbook issues again.
 *
 * <p>Encoding (version 2): records separated by U+001E; the first is {@code 2 US incidentId US episode US changes}
 * (changes separated by U+001D), each further one {@code runbook US step US commandId US status}. Before version
 * 2 the store held one runbook as {@code incidentId US runbook US step US commandId US status}: such a value is
 * read as that runbook's progress in the incident's current episode, so a step issued before an upgrade still
 * takes its result (its command id is kept as it was).
 */
final class EpisodeProgress {

    private static final char RECORD = '\u001e';
    private static final char UNIT = '\u001f';
    private static final char GROUP = '\u001d';
    private static final String VERSION = "2";

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

    String encode() {
        StringBuilder out = new StringBuilder(VERSION).append(UNIT).append(incidentId).append(UNIT).append(episode)
                .append(UNIT).append(String.join(String.valueOf(GROUP), changes));
        for (RunbookProgress run : runs) {
            out.append(RECORD).append(run.runbook()).append(UNIT).append(run.step()).append(UNIT)
                    .append(run.commandId()).append(UNIT).append(run.status());
        }
        return out.toString();
    }

    /**
     * @param currentEpisode the incident's episode now, which a value of the single-runbook encoding is read as
     *        belonging to
     */
    static EpisodeProgress decode(String text, int currentEpisode) {
        String[] records = text.split(String.valueOf(RECORD), -1);
        String[] header = fields(records[0]);
        if (records.length == 1 && header.length == 5) {
            return new EpisodeProgress(header[0], currentEpisode, List.of(progress(header[1], header[2], header[3],
                    header[4])), Set.of());
        }
        if (header.length != 4 || !VERSION.equals(header[0])) {
            throw new IllegalStateException("runbook-progress-store holds an unreadable value: header of "
                    + header.length + " fields, version '" + header[0] + "'");
        }
        Set<String> changes = new LinkedHashSet<>();
        for (String change : header[3].split(String.valueOf(GROUP), -1)) {
            if (!change.isEmpty()) {
                changes.add(change);
            }
        }
        List<RunbookProgress> runs = new ArrayList<>();
        for (int i = 1; i < records.length; i++) {
            String[] run = fields(records[i]);
            if (run.length != 4) {
                throw new IllegalStateException("runbook-progress-store holds an unreadable runbook entry of "
                        + run.length + " fields for incident " + header[1]);
            }
            runs.add(progress(run[0], run[1], run[2], run[3]));
        }
        return new EpisodeProgress(header[1], Integer.parseInt(header[2]), runs, changes);
    }

    private static String[] fields(String record) {
        return record.split(String.valueOf(UNIT), -1);
    }

    private static RunbookProgress progress(String runbook, String step, String commandId, String status) {
        return new RunbookProgress(runbook, Integer.parseInt(step), commandId, RunbookProgress.Status.valueOf(status));
    }
}
