package io.runstream.ingest.remotewrite;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.runstream.avro.MetricKind;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.MetricMetadata;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.MetricMetadata.MetricType;

/**
 * Decides a series' {@link MetricKind}. Prometheus sends metadata in requests of its own, apart from the
 * samples, so the types it announces are remembered (bounded) and applied to later requests. A series whose
 * family has no known type falls back to its name's suffix: {@code _total}, {@code _count} and {@code _sum}
 * are counters, {@code _bucket} a histogram bucket, anything else a gauge.
 */
public final class MetricKinds {

    private final Map<String, MetricType> types = new ConcurrentHashMap<>();
    private final int maxFamilies;

    public MetricKinds(int maxFamilies) {
        this.maxFamilies = maxFamilies;
    }

    /** Remembers a family's announced type; once full, new families are not remembered (suffixes still work). */
    public void remember(MetricMetadata metadata) {
        String family = metadata.getMetricFamilyName();
        if (family.isEmpty() || metadata.getType() == MetricType.UNKNOWN || metadata.getType() == MetricType.UNRECOGNIZED) {
            return;
        }
        if (types.size() < maxFamilies || types.containsKey(family)) {
            types.put(family, metadata.getType());
        }
    }

    public MetricKind of(String name) {
        MetricType exact = types.get(name);
        if (exact != null) {
            return switch (exact) {
                case COUNTER -> MetricKind.COUNTER;
                case HISTOGRAM, GAUGEHISTOGRAM -> bySuffix(name);
                default -> MetricKind.GAUGE;
            };
        }
        int underscore = name.lastIndexOf('_');
        if (underscore > 0) {
            MetricType family = types.get(name.substring(0, underscore));
            if (family != null) {
                MetricKind kind = ofFamilyMember(family, name.substring(underscore));
                if (kind != null) {
                    return kind;
                }
            }
        }
        return bySuffix(name);
    }

    /** A series named family + suffix, when the family's type is known. */
    private static MetricKind ofFamilyMember(MetricType family, String suffix) {
        return switch (family) {
            case HISTOGRAM, GAUGEHISTOGRAM -> switch (suffix) {
                case "_bucket" -> MetricKind.HISTOGRAM_BUCKET;
                case "_sum" -> MetricKind.HISTOGRAM_SUM;
                case "_count" -> MetricKind.HISTOGRAM_COUNT;
                default -> null;
            };
            // OpenMetrics names a counter family without its _total; a summary's _sum and _count only grow.
            case COUNTER -> "_total".equals(suffix) ? MetricKind.COUNTER : null;
            case SUMMARY -> "_sum".equals(suffix) || "_count".equals(suffix) ? MetricKind.COUNTER : null;
            default -> null;
        };
    }

    static MetricKind bySuffix(String name) {
        if (name.endsWith("_total") || name.endsWith("_count") || name.endsWith("_sum")) {
            return MetricKind.COUNTER;
        }
        return name.endsWith("_bucket") ? MetricKind.HISTOGRAM_BUCKET : MetricKind.GAUGE;
    }
}
