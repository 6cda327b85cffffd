package io.runstream.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Every released version of a record's schema, read from the classpath at
 * {@code schema-history/<RecordName>/v<N>.avsc} (v1, v2, ... without gaps). Readers register all of
 * them so that a record written by an older producer still decodes after an upgrade; tests check that
 * the current schema is released and reads every older version.
 */
public final class SchemaHistory {

    static final String ROOT = "schema-history/";

    private SchemaHistory() {
    }

    /** Released versions of the named record, oldest first; empty when none was released. */
    public static List<Schema> releasedVersions(String recordName) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = resourcePath(recordName, version);
            try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read released schema " + resource, e);
            }
        }
    }

    public static String resourcePath(String recordName, int version) {
        return ROOT + recordName + "/v" + version + ".avsc";
    }

    /** The 64-bit Rabin fingerprint that single-object encoding writes in front of every record. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }
}
