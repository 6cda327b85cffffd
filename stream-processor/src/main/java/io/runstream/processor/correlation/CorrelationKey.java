package io.runstream.processor.correlation;

import java.util.HashMap;
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

    /**
     * The key of a service's own alerts, which carry labels service and namespace (as detection's do): for
     * records about a service rather than an alert. It matches its alerts' incidents when {@code groupBy}
     * names only namespace and service (the default); any other label in it is missing ("-") here.
     */
    public static String ofService(String service, String namespace, List<String> groupBy) {
        Map<String, String> labels = new HashMap<>();
        labels.put("service", service);
        if (namespace != null) {
            labels.put("namespace", namespace);
        }
        return of(labels, groupBy);
    }
}
