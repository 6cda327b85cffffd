package io.runstream.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Releases the current schemas: for every record whose current schema differs from its latest released
 * version, writes the next {@code v<N>.avsc} under {@code src/main/resources/schema-history}. Run it when
 * a schema change is ready, after {@link SchemaCompatibilityTest} passes:
 * {@code ./mvnw -q -pl schemas exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.runstream.schemas.ReleaseSchemas
 * -Dexec.args=schemas/src/main/resources} (after {@code ./mvnw -q -pl schemas -am install -DskipTests}).
 */
public final class ReleaseSchemas {

    private ReleaseSchemas() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/main/resources").resolve(SchemaHistory.ROOT);
        for (Class<? extends SpecificRecord> type : RecordTypes.ALL) {
            Schema current = RecordTypes.currentSchema(type);
            List<Schema> released = SchemaHistory.releasedVersions(current.getName());
            boolean unchanged = !released.isEmpty() && SchemaHistory.fingerprint(released.get(released.size() - 1))
                    == SchemaHistory.fingerprint(current);
            if (unchanged) {
                continue;
            }
            Path file = root.resolve(SchemaHistory.resourcePath(current.getName(), released.size() + 1)
                    .substring(SchemaHistory.ROOT.length()));
            Files.createDirectories(file.getParent());
            Files.writeString(file, SchemaFormatter.format("json/pretty", current) + System.lineSeparator());
            System.out.println("released " + file);
        }
    }
}
