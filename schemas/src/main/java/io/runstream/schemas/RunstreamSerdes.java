package io.runstream.schemas;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

import io.runstream.schemas.registry.ConfluentFormat;
import io.runstream.schemas.registry.SchemaRegistryClient;
import io.runstream.schemas.registry.SchemaSettings;

/**
 * The serde factory: one serde per record type, built once from the chosen wire format and shared.
 * Built from configuration and passed in; there is no static instance.
 */
public final class RunstreamSerdes {

    private final WireFormat format;
    private final Map<Class<?>, Serde<?>> cache = new ConcurrentHashMap<>();

    public RunstreamSerdes(WireFormat format) {
        this.format = format;
    }

    /** The default wire format, Avro single-object encoding. */
    public static RunstreamSerdes avro() {
        return new RunstreamSerdes(new AvroSingleObjectFormat());
    }

    /**
     * The wire format {@code schemas} chooses: single-object encoding, or Confluent framing through the registry.
     * Single-object with a registry URL set writes single-object but also reads Confluent framing (the first step
     * of a move). Nothing is registered yet; {@link #prepare(TopicCatalog)} does that at start.
     */
    public static RunstreamSerdes from(SchemaSettings schemas) {
        if (schemas.registry() == null) {
            return avro();
        }
        return new RunstreamSerdes(new ConfluentFormat(new SchemaRegistryClient(schemas.registry()),
                schemas.registry().autoRegister(), schemas.confluent()));
    }

    /** Registers the catalog's value schemas where the format needs it; see {@link WireFormat#prepare}. */
    public void prepare(TopicCatalog catalog) {
        format.prepare(catalog.valueSchemas());
    }

    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> Serde<T> serde(Class<T> recordType) {
        return (Serde<T>) cache.computeIfAbsent(recordType, type -> format.serde(recordType));
    }

    public WireFormat format() {
        return format;
    }
}
