package io.runstream.launcher.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionCommand;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;

/** A replay on the driver's private feed does what it does through the driver's public pipeInput. */
class ReplayTest {

    private static final Instant FROM = Instant.parse("2026-11-30T00:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofMinutes(10));

    @Test
    void theDirectFeedIsThereInThisKafkaStreamsVersion() {
        // without it a replay still works, through pipeInput, at about 0.6 times the speed (docs/benchmarks.md)
        assertThat(DirectFeed.available()).as("TopologyTestDriver's enqueueTaskRecord and "
                + "completeAllProcessableWork").isTrue();
    }

    @Test
    void directAndPublicFeedsReplayTheSameIncidentsCommandsAndDeadLetters() {
        TopicCatalog topics = new TopicCatalog(new TopicSettings("replay.", 1, (short) 1), RunstreamSerdes.avro());
        // 60 services, two of them (0 and 50) failing 12 % of their requests for a while (runbook 003's
        // HighErrorRate), and one unreadable sample
        List<RecordedHistory.Recorded> records = new ArrayList<>(ReplayBench.traffic(topics, 60, 10, FROM));
        records.add(1_000, new RecordedHistory.Recorded(topics.metricSamples().name(),
                "model-7".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}, records.get(1_000).timestamp()));

        Replay.Outcome direct = Replay.run("direct", RecordedHistory.of(records), topics, RulesFile.defaults(),
                RunbooksFiles.load(null), FROM, TO, true);
        Replay.Outcome pipeInput = Replay.run("pipe-input", RecordedHistory.of(records), topics,
                RulesFile.defaults(), RunbooksFiles.load(null), FROM, TO, false);

        assertThat(direct.incidents()).isNotEmpty();
        assertThat(direct.commands()).isNotEmpty();
        assertThat(direct.deadLetters()).isEqualTo(1);
        assertThat(direct.incidents()).isEqualTo(pipeInput.incidents());
        assertThat(direct.commands()).extracting(ActionCommand::getCommandId)
                .isEqualTo(pipeInput.commands().stream().map(ActionCommand::getCommandId).toList());
        assertThat(direct.deadLetters()).isEqualTo(pipeInput.deadLetters());
        assertThat(direct.recordsByTopic()).isEqualTo(pipeInput.recordsByTopic());
    }

    @Test
    void refusesARecordOfATopicTheTopologyDoesNotRead() {
        TopicCatalog topics = new TopicCatalog(new TopicSettings("replay.", 1, (short) 1), RunstreamSerdes.avro());
        List<RecordedHistory.Recorded> records = List.of(new RecordedHistory.Recorded("replay.unknown",
                new byte[] {1}, new byte[] {2}, FROM.toEpochMilli()));

        assertThatThrownBy(() -> Replay.run("unknown", RecordedHistory.of(records), topics, RulesFile.defaults(),
                RunbooksFiles.load(null), FROM, TO, true)).hasMessageContaining("replay.unknown");
    }
}
