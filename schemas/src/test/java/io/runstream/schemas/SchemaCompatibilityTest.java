package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract between producers and consumers across upgrades: every schema change is released as a
 * new version under {@code schema-history}, and the current reader reads every released version.
 * {@code registry.SchemaHistoryRegistryIT} asks a real schema registry the same question of each version.
 */
class SchemaCompatibilityTest {

    static Stream<Class<? extends SpecificRecord>> recordTypes() {
        return RecordTypes.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("recordTypes")
    void currentSchemaIsTheLatestReleasedVersion(Class<? extends SpecificRecord> type) {
        Schema current = RecordTypes.currentSchema(type);
        List<Schema> released = SchemaHistory.releasedVersions(current.getName());

        assertThat(released)
                .as("no released versions of %s; run ReleaseSchemas (see its javadoc)", current.getName())
                .isNotEmpty();
        assertThat(SchemaHistory.fingerprint(released.get(released.size() - 1)))
                .as("%s changed since its last release; check compatibility, then run ReleaseSchemas",
                        current.getName())
                .isEqualTo(SchemaHistory.fingerprint(current));
    }

    @ParameterizedTest
    @MethodSource("recordTypes")
    void everyVersionReadsThePreviousOne(Class<? extends SpecificRecord> type) {
        Schema current = RecordTypes.currentSchema(type);
        List<Schema> versions = new java.util.ArrayList<>(SchemaHistory.releasedVersions(current.getName()));
        versions.add(current);

        for (int i = 1; i < versions.size(); i++) {
            var result = SchemaCompatibility.checkReaderWriterCompatibility(versions.get(i), versions.get(i - 1));
            assertThat(result.getType())
                    .as("%s version %d cannot read version %d: %s", current.getName(), i + 1, i,
                            result.getResult().getIncompatibilities())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @ParameterizedTest
    @MethodSource("recordTypes")
    <T extends SpecificRecord> void currentReaderDecodesBytesOfEveryReleasedVersion(Class<T> type) {
        Schema current = RecordTypes.currentSchema(type);
        var deserializer = RunstreamSerdes.avro().serde(type).deserializer();

        for (Schema released : SchemaHistory.releasedVersions(current.getName())) {
            for (byte[] oldBytes : RandomRecords.encoded(released, 50, 7L)) {
                T decoded = deserializer.deserialize("runstream.any", oldBytes);

                assertThat(decoded).isInstanceOf(type);
                assertThat(deserializer.deserialize("runstream.any", RunstreamSerdes.avro().serde(type)
                        .serializer().serialize("runstream.any", decoded))).isEqualTo(decoded);
            }
        }
    }
}
