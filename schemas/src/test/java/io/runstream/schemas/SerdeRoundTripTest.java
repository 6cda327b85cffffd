package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SerdeRoundTripTest {

    private static final int RECORDS_PER_TYPE = 200;
    private final RunstreamSerdes serdes = RunstreamSerdes.avro();

    static Stream<Class<? extends SpecificRecord>> recordTypes() {
        return RecordTypes.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("recordTypes")
    <T extends SpecificRecord> void roundTripsEveryFieldOfRandomRecords(Class<T> type) {
        Serde<T> serde = serdes.serde(type);
        for (byte[] written : RandomRecords.encoded(RecordTypes.currentSchema(type), RECORDS_PER_TYPE, 42L)) {
            T decoded = serde.deserializer().deserialize("any-topic", written);
            byte[] rewritten = serde.serializer().serialize("any-topic", decoded);

            assertThat(decoded).isInstanceOf(type);
            // Map entries may be written in another order, so compare records, not bytes.
            assertThat(serde.deserializer().deserialize("any-topic", rewritten)).isEqualTo(decoded);
        }
    }

    @ParameterizedTest
    @MethodSource("recordTypes")
    <T extends SpecificRecord> void passesTombstonesThroughAsNull(Class<T> type) {
        Serde<T> serde = serdes.serde(type);

        assertThat(serde.serializer().serialize("incidents", null)).isNull();
        assertThat(serde.deserializer().deserialize("incidents", null)).isNull();
    }
}
