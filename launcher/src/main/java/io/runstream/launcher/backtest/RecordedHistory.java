package io.runstream.launcher.backtest;

import java.util.List;
import java.util.function.Consumer;

/**
 * The recorded records of the topology's input topics whose record timestamps fall in the backtest's range, as
 * undecoded bytes: a replay hands them to the topology exactly as the broker holds them, so an unreadable record
 * meets the same dead-letter handling it met live. Each {@link #forEach} is a pass of its own over the whole range
 * in record-timestamp order, so two replays can each read it at their own pace and neither holds the range in
 * memory ({@link KafkaHistory}).
 */
public interface RecordedHistory {

    /** One recorded record: its topic (full name), key, value and record timestamp. */
    record Recorded(String topic, byte[] key, byte[] value, long timestamp) {
    }

    /** Hands every record of the range to {@code sink}, in record-timestamp order. */
    void forEach(Consumer<Recorded> sink);

    /** Records already in memory and in time order: for tests and measurements without a broker. */
    static RecordedHistory of(List<Recorded> records) {
        return records::forEach;
    }
}
