package io.runstream.processor.detection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link EvaluationState} in detection's internal stores. Internal state, not a topic contract,
 * so a versioned hand-written layout: a version byte, the next evaluation, the namespace and the active alerts;
 * version 2 adds the model version and the previous one (drift). Version 1 is still read (no versions known).
 */
final class EvaluationStateSerde {

    private static final byte VERSION = 2;
    private static final byte VERSION_1 = 1;

    private EvaluationStateSerde() {
    }

    static Serde<EvaluationState> serde() {
        return Serdes.serdeFrom(serializer(), deserializer());
    }

    private static Serializer<EvaluationState> serializer() {
        return (topic, state) -> {
            if (state == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(VERSION);
                out.writeLong(state.nextEvaluation());
                out.writeBoolean(state.namespace() != null);
                if (state.namespace() != null) {
                    out.writeUTF(state.namespace());
                }
                out.writeInt(state.active().size());
                for (Map.Entry<String, ActiveAlert> entry : state.active().entrySet()) {
                    out.writeUTF(entry.getKey());
                    out.writeLong(entry.getValue().activeAt());
                    out.writeBoolean(entry.getValue().firing());
                }
                writeNullable(out, state.modelVersion());
                writeNullable(out, state.previousModelVersion());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        };
    }

    private static Deserializer<EvaluationState> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                byte version = in.readByte();
                if (version != VERSION && version != VERSION_1) {
                    throw new SerializationException("Unknown detection state version " + version);
                }
                long nextEvaluation = in.readLong();
                String namespace = in.readBoolean() ? in.readUTF() : null;
                int count = in.readInt();
                Map<String, ActiveAlert> active = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    active.put(in.readUTF(), new ActiveAlert(in.readLong(), in.readBoolean()));
                }
                if (version == VERSION_1) {
                    return new EvaluationState(nextEvaluation, namespace, active);
                }
                String modelVersion = in.readBoolean() ? in.readUTF() : null;
                String previousModelVersion = in.readBoolean() ? in.readUTF() : null;
                return new EvaluationState(nextEvaluation, namespace, active, modelVersion, previousModelVersion);
            } catch (IOException e) {
                throw new SerializationException("Corrupt detection state", e);
            }
        };
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }
}
