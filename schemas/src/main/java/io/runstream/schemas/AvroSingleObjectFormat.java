package io.runstream.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding: two marker bytes {@code C3 01}, the writer schema's 64-bit fingerprint,
 * then the Avro binary body. A reader resolves the fingerprint against every released version of the
 * record's schema ({@link SchemaHistory}), so records from older producers decode with the current
 * classes. Chosen because Confluent's registry serializer is not on Maven Central; any language with an
 * Avro library can decode these bytes given the {@code .avsc} files.
 */
public final class AvroSingleObjectFormat implements WireFormat {

    public static final String NAME = "avro-single-object";
    /** The first byte of every single-object encoded value (the marker is C3 01). */
    public static final byte FIRST_MARKER_BYTE = (byte) 0xC3;
    private static final String GENERATED_PACKAGE = "io.runstream.avro";

    static {
        // Avro 1.12 refuses to instantiate classes it does not trust when it resolves a writer schema;
        // our generated classes are the one package it must trust, on top of whatever the JVM allows.
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                type -> GENERATED_PACKAGE.equals(type.getPackageName())));
        // Generated equals() compares array elements through GenericData.get(); without this conversion
        // it cannot tell which union branch an Instant belongs to (e.g. Incident.alerts[].endsAt).
        GenericData.get().addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    }

    @Override
    public <T extends SpecificRecord> Serde<T> serde(Class<T> recordType) {
        SpecificData model = SpecificData.getForClass(recordType);
        Schema current = model.getSchema(recordType);
        BinaryMessageEncoder<T> encoder = new BinaryMessageEncoder<>(model, current);
        BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(model, current);
        for (Schema released : SchemaHistory.releasedVersions(current.getName())) {
            decoder.addSchema(released);
        }
        return Serdes.serdeFrom(new Writer<>(encoder, recordType), new Reader<>(decoder, recordType));
    }

    @Override
    public String name() {
        return NAME;
    }

    private record Writer<T>(BinaryMessageEncoder<T> encoder, Class<T> type) implements Serializer<T> {
        @Override
        public byte[] serialize(String topic, T record) {
            if (record == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(256);
                encoder.encode(record, out);
                return out.toByteArray();
            } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
                throw new SerializationException("Cannot write " + type.getSimpleName() + " to topic '" + topic
                        + "': " + e.getMessage(), e);
            }
        }
    }

    private record Reader<T>(BinaryMessageDecoder<T> decoder, Class<T> type) implements Deserializer<T> {
        @Override
        public T deserialize(String topic, byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            try {
                return decoder.decode(ByteBuffer.wrap(bytes));
            } catch (BadHeaderException e) {
                if (bytes.length >= 5 && bytes[0] == 0) {
                    // Confluent framing from a producer on schemas.format confluent: say so, not just "bad header"
                    throw failure(topic, "Confluent framing (schema id " + ByteBuffer.wrap(bytes, 1, 4).getInt()
                            + "), which needs a schema registry to read: set schemas.format: confluent and "
                            + "schemas.registry.url", e);
                }
                throw failure(topic, "not Avro single-object encoding (" + e.getMessage() + ")", e);
            } catch (MissingSchemaException e) {
                throw failure(topic, "written with a schema this reader does not know (" + e.getMessage()
                        + "); it is another record type or an unreleased version", e);
            } catch (IOException | RuntimeException e) {
                throw failure(topic, "corrupt or truncated Avro body (" + e + ")", e);
            }
        }

        private SerializationException failure(String topic, String reason, Exception cause) {
            return new SerializationException("Cannot read " + type.getSimpleName() + " from topic '" + topic
                    + "': " + reason, cause);
        }
    }
}
