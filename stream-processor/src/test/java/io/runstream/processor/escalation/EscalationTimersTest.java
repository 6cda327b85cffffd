package io.runstream.processor.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.runstream.avro.TimerState;

/**
 * The due-time index: each look for due timers starts where the last ended (so fired timers, RocksDB tombstones,
 * are not stepped over again), without ever missing a timer scheduled due before that point.
 */
class EscalationTimersTest {

    private KeyValueStore<Bytes, TimerState> store;
    private EscalationTimers timers;

    @BeforeEach
    void emptyStore() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "timers-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<String, String> context = new MockProcessorContext<>(props);
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("timers"), Serdes.Bytes(),
                TimerKeys.valueSerde()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        timers = new EscalationTimers(store);
    }

    @Test
    void takesWhatIsDueEarliestFirstAndLeavesTheRest() {
        timers.schedule(timer(3_000, "c"));
        timers.schedule(timer(1_000, "a"));
        timers.schedule(timer(2_000, "b"));

        assertThat(names(timers.takeDue(2_000))).containsExactly("a", "b");
        assertThat(names(timers.takeDue(2_500))).isEmpty();
        assertThat(names(timers.takeDue(3_000))).containsExactly("c");
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void aTimerScheduledDueBeforeTheLastLookStillFires() {
        timers.schedule(timer(5_000, "later"));
        assertThat(timers.takeDue(4_000)).isEmpty();

        // an incident stamped with an earlier event time schedules a step due before the last look
        timers.schedule(timer(1_000, "back-dated"));
        timers.schedule(timer(4_000, "due-at-the-last-look"));

        assertThat(names(timers.takeDue(4_100))).containsExactly("back-dated", "due-at-the-last-look");
        assertThat(names(timers.takeDue(5_000))).containsExactly("later");
    }

    @Test
    void moreDueThanOnePunctuationTakesAreTakenNextTime() {
        int due = EscalationTimers.MAX_PER_PUNCTUATION + 10;
        for (int i = 0; i < due; i++) {
            timers.schedule(timer(1_000 + i, "step-" + i));
        }

        assertThat(timers.takeDue(1_000_000)).hasSize(EscalationTimers.MAX_PER_PUNCTUATION);
        assertThat(names(timers.takeDue(1_000_000))).hasSize(10).first().isEqualTo("step-"
                + EscalationTimers.MAX_PER_PUNCTUATION);
        assertThat(timers.takeDue(1_000_000)).isEmpty();
    }

    @Test
    void aNewInstanceOnTheSameStoreFindsEverythingDue() {
        timers.schedule(timer(1_000, "before-restart"));
        timers.takeDue(500);
        timers.schedule(timer(2_000, "pending"));

        EscalationTimers restarted = new EscalationTimers(store);

        assertThat(names(restarted.takeDue(2_000))).containsExactly("before-restart", "pending");
    }

    @Test
    void timersDueAtOneTimeComeOutInIncidentThenNameOrder() {
        timers.schedule(new Timer(1_000, "INC-b", "P1.page-on-call", "ml-prod/inference-gateway"));
        timers.schedule(new Timer(1_000, "INC-a", "P1.page-tech-lead", "ml-prod/feature-store"));
        timers.schedule(new Timer(1_000, "INC-a", "P1.page", "ml-prod/feature-store"));

        assertThat(timers.takeDue(1_000)).extracting(t -> t.incidentId() + " " + t.name())
                .containsExactly("INC-a P1.page", "INC-a P1.page-tech-lead", "INC-b P1.page-on-call");
    }

    @Test
    void aTimerKeptUnderThePreviousReleasesTextKeyIsMovedAndFires() {
        // given: a timer as the previous release stored it (text key, its name as the value), one in the new form
        store.put(Bytes.wrap("000001767225600000|INC-1|P1.page-tech-lead|ml-prod/inference-gateway"
                .getBytes(StandardCharsets.UTF_8)), TimerState.newBuilder().setDueAt(Instant.EPOCH).setIncidentId("")
                .setName("P1.page-tech-lead").setCorrelationKey("").build());
        timers.schedule(new Timer(1_767_225_900_000L, "INC-1", "P1.page-vp-engineering", "ml-prod/inference-gateway"));

        // when: the first look after the upgrade, before the old timer is due
        assertThat(timers.takeDue(1_767_225_000_000L)).isEmpty();

        // then: it was moved to its binary key and fires when due, with every field from the old key
        assertThat(store.get(Bytes.wrap("000001767225600000|INC-1|P1.page-tech-lead|ml-prod/inference-gateway"
                .getBytes(StandardCharsets.UTF_8)))).isNull();
        assertThat(timers.takeDue(1_767_225_900_000L)).containsExactly(
                new Timer(1_767_225_600_000L, "INC-1", "P1.page-tech-lead", "ml-prod/inference-gateway"),
                new Timer(1_767_225_900_000L, "INC-1", "P1.page-vp-engineering", "ml-prod/inference-gateway"));
        assertThat(store.approximateNumEntries()).isZero();
    }

    private static Timer timer(long dueMillis, String name) {
        return new Timer(dueMillis, "inc-" + name, name, "key-" + name);
    }

    private static List<String> names(List<Timer> due) {
        return due.stream().map(Timer::name).toList();
    }
}
