package io.runstream.processor.correlation;

import java.util.List;
import java.util.Map;

/**
 * The values of the {@code groupBy} labels joined with '/', e.g. {@code ml-prod/inference-gateway}; a missing
 * label counts as "-" so that alerts without a namespace still group by service.
 */
public final class CorrelationKey {

    static final String MISSING = "-";

    private CorrelationKey() {
    }

    public static String of(Map<String, String> labels, List<String> groupBy) {
        StringBuilder key = new StringBuilder();
        for (String label : groupBy) {
            if (key.length() > 0) {
                key.append('/');
            }
            String value = labels.get(label);
            key.append(value == null || value.isEmpty() ? MISSING : value);
        }
        return key.toString();
    }
}
