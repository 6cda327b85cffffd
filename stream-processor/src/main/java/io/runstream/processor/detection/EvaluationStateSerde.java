package io.runstream.processor.detection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link EvaluationState} in detection's internal stores. Internal state, not a topic contract,
 * so a versioned hand-written layout: a version byte, the next evaluation, the namespace, the active alerts and
 * (since version 2) the metrics of absent rules the service has sent and, for drift, the model version and the
 * previous one. Version 1 still reads, as nothing sent and no versions known.
 */
final class EvaluationStateSerde {

    private static final byte VERSION = 2;
    private static final byte VERSION_WITHOUT_SENT = 1;

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
                out.writeInt(state.sentMetrics().size());
                for (String metric : state.sentMetrics()) {
                    out.writeUTF(metric);
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
                if (version != VERSION && version != VERSION_WITHOUT_SENT) {
                    throw new SerializationException("Unknown detection state version " + version);
                }
                long nextEvaluation = in.readLong();
                String namespace = in.readBoolean() ? in.readUTF() : null;
                int count = in.readInt();
                Map<String, ActiveAlert> active = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    active.put(in.readUTF(), new ActiveAlert(in.readLong(), in.readBoolean()));
                }
                if (version == VERSION_WITHOUT_SENT) {
                    return new EvaluationState(nextEvaluation, namespace, active, Set.of());
                }
                Set<String> sent = new HashSet<>();
                int sentCount = in.readInt();
                for (int i = 0; i < sentCount; i++) {
                    sent.add(in.readUTF());
                }
                String modelVersion = in.readBoolean() ? in.readUTF() : null;
                String previousModelVersion = in.readBoolean() ? in.readUTF() : null;
                return new EvaluationState(nextEvaluation, namespace, active, sent, modelVersion,
                        previousModelVersion);
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
