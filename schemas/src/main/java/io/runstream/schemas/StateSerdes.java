package io.runstream.schemas;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes of state store values. A store value is an Avro record in single-object encoding, whatever wire format
 * the topics use: a store's changelog is read only by the application that wrote it, and its released versions
 * are checked like the topics' ({@link RecordTypes#STATE}). Stores that earlier releases kept as text read that
 * text too, so that a changelog written before an upgrade restores; the entry is migrated when it is next
 * written.
 */
public final class StateSerdes {

    /** The first two bytes of every single-object encoded record; never the start of a valid UTF-8 text. */
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    private static final RunstreamSerdes AVRO = RunstreamSerdes.avro();

    private StateSerdes() {
    }

    /** The serde of a store value that has always been Avro. */
    public static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
        return AVRO.serde(type);
    }

    /**
     * The serde of a store value that earlier releases wrote as UTF-8 text: Avro is written; text is read with
     * {@code previousRelease}, which throws {@link IllegalArgumentException} (or any runtime exception) naming what
     * it could not read.
     */
    public static <T extends SpecificRecord> Serde<T> withPreviousText(Class<T> type, Function<String, T> previousRelease) {
        Serde<T> avro = AVRO.serde(type);
        Deserializer<T> reader = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (isSingleObject(bytes)) {
                return avro.deserializer().deserialize(topic, bytes);
            }
            try {
                return previousRelease.apply(new String(bytes, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new SerializationException("Cannot read " + type.getSimpleName() + " from '" + topic
                        + "': neither Avro single-object encoding nor the previous release's text (" + e.getMessage()
                        + ")", e);
            }
        };
        return Serdes.serdeFrom(avro.serializer(), reader);
    }

    /** Whether the bytes start with the single-object marker (else they are a previous release's encoding). */
    public static boolean isSingleObject(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == MARKER_0 && bytes[1] == MARKER_1;
    }
}
