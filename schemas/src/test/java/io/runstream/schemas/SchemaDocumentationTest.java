package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The schemas are the documentation of the topics: every type and field says what it is. */
class SchemaDocumentationTest {

    @Test
    void everyRecordEnumAndFieldHasADoc() {
        List<String> undocumented = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Class<? extends SpecificRecord> type : RecordTypes.ALL) {
            collectUndocumented(RecordTypes.currentSchema(type), undocumented, seen);
        }
        assertThat(undocumented).isEmpty();
    }

    @Test
    void everyPointInTimeIsATimestampMillis() {
        List<String> wrong = new ArrayList<>();
        for (Class<? extends SpecificRecord> type : RecordTypes.ALL) {
            Schema schema = RecordTypes.currentSchema(type);
            for (Schema.Field field : schema.getFields()) {
                boolean pointInTime = field.name().endsWith("At") || field.name().equals("timestamp");
                if (pointInTime && !isTimestampMillis(field.schema())) {
                    wrong.add(schema.getName() + "." + field.name());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static boolean isTimestampMillis(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            return schema.getTypes().stream().anyMatch(SchemaDocumentationTest::isTimestampMillis);
        }
        return schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
    }

    private static void collectUndocumented(Schema schema, List<String> undocumented, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                requireDoc(schema.getFullName(), schema.getDoc(), undocumented);
                for (Schema.Field field : schema.getFields()) {
                    requireDoc(schema.getName() + "." + field.name(), field.doc(), undocumented);
                    collectUndocumented(field.schema(), undocumented, seen);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName())) {
                    requireDoc(schema.getFullName(), schema.getDoc(), undocumented);
                }
            }
            case UNION -> schema.getTypes().forEach(branch -> collectUndocumented(branch, undocumented, seen));
            case ARRAY -> collectUndocumented(schema.getElementType(), undocumented, seen);
            case MAP -> collectUndocumented(schema.getValueType(), undocumented, seen);
            default -> { }
        }
    }

    private static void requireDoc(String what, String doc, List<String> undocumented) {
        if (doc == null || doc.isBlank()) {
            undocumented.add(what);
        }
    }
}
