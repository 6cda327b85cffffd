package io.runstream.schemas.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runstream.schemas.AvroSingleObjectFormat;
import io.runstream.schemas.WireFormat;

/**
 * Confluent's wire format: the byte {@code 0}, the writer schema's 4-byte big-endian registry id, then the Avro
 * binary body, with the schema registered under the subject {@code <topic>-value} (TopicNameStrategy), as the
 * Confluent deserializers of Kafka Connect, ksqlDB, Flink and Python expect.
 *
 * <p>Only the topics handed to {@link #prepare} are written this way: those are the topics other teams read. Anything
 * else the serde is asked to write (state-store changelogs, repartition topics) stays in Avro single-object encoding,
 * which needs no registry at restore time. Reading accepts both encodings, told apart by the first byte, so a topic
 * half written by single-object producers and half by Confluent ones reads whole.
 */
public final class ConfluentFormat implements WireFormat {

    public static final String NAME = "confluent";
    public static final String COMPATIBILITY = "BACKWARD";
    static final byte MAGIC = 0;
    static final int HEADER_LENGTH = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ConfluentFormat.class);

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final boolean writesConfluent;
    private final AvroSingleObjectFormat singleObject = new AvroSingleObjectFormat();
    /** "topic|record full name" -> the id the writer puts in front of that record on that topic. */
    private final ConcurrentMap<String, Integer> writerIds = new ConcurrentHashMap<>();
    /** Registry id -> writer schema; ids never change their schema, so entries never expire. */
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public ConfluentFormat(SchemaRegistryClient registry, boolean autoRegister) {
        this(registry, autoRegister, true);
    }

    /**
     * @param writesConfluent false: read both encodings but write single-object everywhere ({@code prepare} registers
     *                        nothing), the first step of moving a deployment, so that every reader can read Confluent
     *                        framing before any writer produces it
     */
    public ConfluentFormat(SchemaRegistryClient registry, boolean autoRegister, boolean writesConfluent) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.writesConfluent = writesConfluent;
    }

    /**
     * Registers (or, without auto-registration, looks up) each topic's current value schema under
     * {@code <topic>-value}, caching the ids. A subject registered here for the first time is set to BACKWARD
     * compatibility, so the registry refuses a later schema that could not read the records already written.
     *
     * @throws SchemaRegistryException naming the subject when the registry is unreachable, refuses the schema, or
     *                                 (auto-registration off) does not have it
     */
    @Override
    public void prepare(Map<String, Schema> valueSchemas) {
        if (!writesConfluent) {
            return;
        }
        valueSchemas.forEach((topic, schema) -> {
            String subject = subject(topic);
            int id;
            if (autoRegister) {
                boolean existed = registry.subjectExists(subject);
                id = registry.register(subject, schema);
                if (!existed) {
                    registry.setCompatibility(subject, COMPATIBILITY);
                }
            } else {
                id = registry.lookup(subject, schema).orElseThrow(() -> new SchemaRegistryException(
                        "subject " + subject + " at schema registry " + registry.url() + " has no version equal to "
                                + "Runstream's " + schema.getName() + " schema, and schemas.registry.autoRegister is "
                                + "false: register " + schema.getName() + ".avsc under " + subject + " first", 404,
                        SchemaRegistryClient.SCHEMA_NOT_FOUND));
            }
            writerIds.put(key(topic, schema.getFullName()), id);
            schemasById.put(id, schema);
            LOG.info("Topic {} writes {} with schema id {} (subject {})", topic, schema.getName(), id, subject);
        });
    }

    public static String subject(String topic) {
        return topic + "-value";
    }

    @Override
    public <T extends SpecificRecord> Serde<T> serde(Class<T> recordType) {
        SpecificData model = SpecificData.getForClass(recordType);
        Schema current = model.getSchema(recordType);
        Serde<T> fallback = singleObject.serde(recordType);
        return Serdes.serdeFrom(new Writer<>(current, new SpecificDatumWriter<>(current, model), fallback.serializer()),
                new Reader<>(recordType, current, model, fallback.deserializer()));
    }

    @Override
    public String name() {
        return writesConfluent ? NAME : AvroSingleObjectFormat.NAME + "+reads-" + NAME;
    }

    private static String key(String topic, String recordName) {
        return topic + "|" + recordName;
    }

    private final class Writer<T> implements Serializer<T> {
        private final Schema schema;
        private final SpecificDatumWriter<T> datumWriter;
        private final Serializer<T> fallback;

        Writer(Schema schema, SpecificDatumWriter<T> datumWriter, Serializer<T> fallback) {
            this.schema = schema;
            this.datumWriter = datumWriter;
            this.fallback = fallback;
        }

        @Override
        public byte[] serialize(String topic, T record) {
            if (record == null) {
                return null;
            }
            Integer id = writerIds.get(key(topic, schema.getFullName()));
            if (id == null) {
                return fallback.serialize(topic, record);
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(256);
                out.write(MAGIC);
                out.write(ByteBuffer.allocate(4).putInt(id).array());
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                datumWriter.write(record, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("Cannot write " + schema.getName() + " to topic '" + topic + "': "
                        + e.getMessage(), e);
            }
        }
    }

    private final class Reader<T> implements Deserializer<T> {
        private final Class<T> type;
        private final Schema current;
        private final SpecificData model;
        private final Deserializer<T> singleObjectReader;
        private final ConcurrentMap<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

        Reader(Class<T> type, Schema current, SpecificData model, Deserializer<T> singleObjectReader) {
            this.type = type;
            this.current = current;
            this.model = model;
            this.singleObjectReader = singleObjectReader;
        }

        @Override
        public T deserialize(String topic, byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == MAGIC) {
                return readConfluent(topic, bytes);
            }
            if (bytes.length > 0 && bytes[0] == AvroSingleObjectFormat.FIRST_MARKER_BYTE) {
                return singleObjectReader.deserialize(topic, bytes);
            }
            throw failure(topic, bytes.length == 0 ? "empty value"
                    : String.format("unknown magic byte 0x%02x: neither Confluent framing (0x00) nor Avro "
                            + "single-object encoding (0xC3 0x01)", bytes[0]), null);
        }

        private T readConfluent(String topic, byte[] bytes) {
            if (bytes.length < HEADER_LENGTH) {
                throw failure(topic, "Confluent framing cut short: " + bytes.length + " bytes, no 4-byte schema id",
                        null);
            }
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            SpecificDatumReader<T> reader = readers.computeIfAbsent(id, unknown -> readerFor(topic, unknown));
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH,
                        bytes.length - HEADER_LENGTH, null));
            } catch (IOException | RuntimeException e) {
                throw failure(topic, "corrupt or truncated Avro body after schema id " + id + " (" + e + ")", e);
            }
        }

        private SpecificDatumReader<T> readerFor(String topic, int id) {
            Schema writer = schemasById.computeIfAbsent(id, unknown -> fetch(topic, unknown));
            if (!writer.getFullName().equals(current.getFullName())) {
                throw failure(topic, "schema id " + id + " is " + writer.getFullName() + ", another record type", null);
            }
            return new SpecificDatumReader<>(writer, current, model);
        }

        private Schema fetch(String topic, int id) {
            try {
                return registry.schemaById(id);
            } catch (SchemaRegistryException e) {
                if (e.status() == 404) {
                    throw failure(topic, "schema id " + id + " is unknown to the schema registry " + registry.url(), e);
                }
                // unreachable or failing registry: not the record's fault, so not a SerializationException
                throw e;
            }
        }

        private SerializationException failure(String topic, String reason, Exception cause) {
            return new SerializationException("Cannot read " + type.getSimpleName() + " from topic '" + topic + "': "
                    + reason, cause);
        }
    }
}
