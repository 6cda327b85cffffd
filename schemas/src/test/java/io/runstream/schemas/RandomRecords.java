package io.runstream.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;

/** Records with random values in every field (Avro's own generator), as the generated classes. */
final class RandomRecords {

    private RandomRecords() {
    }

    /** Single-object encoded bytes of random records written with the given schema. */
    static List<byte[]> encoded(Schema schema, int count, long seed) {
        BinaryMessageEncoder<Object> encoder = new BinaryMessageEncoder<>(GenericData.get(), schema);
        List<byte[]> result = new ArrayList<>(count);
        for (Object record : new RandomData(schema, count, seed)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                encoder.encode(record, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            result.add(out.toByteArray());
        }
        return result;
    }

    static <T extends SpecificRecord> List<T> of(Class<T> type, int count, long seed) {
        var deserializer = RunstreamSerdes.avro().serde(type).deserializer();
        return encoded(RecordTypes.currentSchema(type), count, seed).stream()
                .map(bytes -> deserializer.deserialize("random", bytes))
                .toList();
    }
}
