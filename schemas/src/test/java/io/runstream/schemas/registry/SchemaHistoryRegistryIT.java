package io.runstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import io.runstream.schemas.RecordTypes;
import io.runstream.schemas.SchemaHistory;
import io.runstream.testing.TestSchemaRegistry;
import io.runstream.testing.WithSchemaRegistry;

/**
 * The registry's half of SchemaCompatibilityTest: every released version of every record, registered in order
 * under a BACKWARD subject, is accepted by the registry's own compatibility check, so a deployment in
 * {@code schemas.format: confluent} can upgrade through each release without the registry refusing its schema.
 */
@WithSchemaRegistry
class SchemaHistoryRegistryIT {

    static final List<Class<? extends SpecificRecord>> TYPES = RecordTypes.ALL;

    @ParameterizedTest
    @FieldSource("TYPES")
    void eachReleasedVersionIsBackwardCompatibleInTheRegistry(Class<? extends SpecificRecord> type,
            TestSchemaRegistry registry) {
        SchemaRegistryClient client = new SchemaRegistryClient(SchemaSettings.confluent(registry.url()).registry());
        String subject = "history-" + UUID.randomUUID().toString().substring(0, 8) + "-" + type.getSimpleName()
                + "-value";
        List<Schema> versions = SchemaHistory.releasedVersions(type.getSimpleName());
        assertThat(versions).as(type.getSimpleName()).isNotEmpty();

        client.register(subject, versions.get(0));
        client.setCompatibility(subject, ConfluentFormat.COMPATIBILITY);
        for (int v = 1; v < versions.size(); v++) {
            assertThat(client.isCompatibleWithLatest(subject, versions.get(v)))
                    .as("%s v%d after v%d, by the registry", type.getSimpleName(), v + 1, v).isTrue();
            client.register(subject, versions.get(v));
        }
        assertThat(client.isCompatibleWithLatest(subject, RecordTypes.currentSchema(type)))
                .as("%s's current schema after its last release", type.getSimpleName()).isTrue();
    }
}
