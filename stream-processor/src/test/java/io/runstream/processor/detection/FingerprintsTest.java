package io.runstream.processor.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FingerprintsTest {

    @Test
    void isSixteenHexDigitsIndependentOfLabelOrder() {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("alertname", "HighErrorRate");
        one.put("service", "inference-gateway");
        Map<String, String> other = new LinkedHashMap<>();
        other.put("service", "inference-gateway");
        other.put("alertname", "HighErrorRate");

        assertThat(Fingerprints.of(one)).matches("[0-9a-f]{16}").isEqualTo(Fingerprints.of(other));
        assertThat(Fingerprints.of(Map.of("alertname", "HighErrorRate", "service", "other")))
                .isNotEqualTo(Fingerprints.of(one));
    }

    @Test
    void isFnv1aOverSortedNamesAndValuesWithSeparators() {
        // Alertmanager's fingerprint of the empty label set is FNV-1a's offset basis.
        assertThat(Fingerprints.of(Map.of())).isEqualTo("cbf29ce484222325");
        // The separator keeps {a="bc"} and {ab="c"} apart.
        assertThat(Fingerprints.of(Map.of("a", "bc"))).isNotEqualTo(Fingerprints.of(Map.of("ab", "c")));
    }
}
