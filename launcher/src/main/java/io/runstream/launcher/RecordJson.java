package io.runstream.launcher;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.specific.SpecificRecord;

/**
 * A decoded Avro record as plain JSON values: fields in schema order, times as ISO-8601 strings, enums by
 * name, unions as their value. What a consumer in any language would want from {@code runstream tail}.
 */
final class RecordJson {

    private RecordJson() {
    }

    static Map<String, Object> of(SpecificRecord record) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            json.put(field.name(), value(record.get(field.pos())));
        }
        return json;
    }

    private static Object value(Object value) {
        if (value instanceof SpecificRecord nested) {
            return of(nested);
        }
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        if (value instanceof Enum<?> symbol) {
            return symbol.name();
        }
        if (value instanceof GenericEnumSymbol<?> symbol) {
            return symbol.toString();
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof ByteBuffer bytes) {
            return java.util.Base64.getEncoder().encodeToString(bytes.array());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> json = new LinkedHashMap<>();
            map.forEach((k, v) -> json.put(String.valueOf(k), value(v)));
            return json;
        }
        if (value instanceof List<?> list) {
            List<Object> json = new ArrayList<>();
            list.forEach(item -> json.add(value(item)));
            return json;
        }
        return value;
    }
}
