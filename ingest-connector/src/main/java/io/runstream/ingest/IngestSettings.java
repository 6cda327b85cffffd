package io.runstream.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.runstream.ingest.http.EndpointAuth;

/**
 * Limits and credentials of the ingest endpoints.
 *
 * @param maxBodyBytes      largest accepted request body; bigger ones get 413 before being read whole
 * @param maxJsonDepth      deepest accepted JSON nesting
 * @param produceTimeout    how long a request waits for Kafka's acknowledgement before answering 503
 * @param retryAfter        the Retry-After a 503 suggests
 * @param auth              credentials per endpoint
 * @param remoteWrite       how remote_write samples are keyed and how far a body may expand
 */
public record IngestSettings(long maxBodyBytes, int maxJsonDepth, Duration produceTimeout, Duration retryAfter,
        Auth auth, RemoteWrite remoteWrite) {

    public IngestSettings {
        if (maxBodyBytes < 1024 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ingest.maxBodyBytes must be between 1024 and 2147483639");
        }
        if (maxJsonDepth < 4 || maxJsonDepth > 1000) {
            throw new IllegalArgumentException("ingest.maxJsonDepth must be between 4 and 1000");
        }
        Objects.requireNonNull(produceTimeout, "ingest.produceTimeout");
        if (produceTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("ingest.produceTimeout must be at least 1s");
        }
        retryAfter = retryAfter == null ? Duration.ofSeconds(5) : retryAfter;
        auth = auth == null ? new Auth(null, null, null, null) : auth;
        remoteWrite = remoteWrite == null ? RemoteWrite.DEFAULTS : remoteWrite;
    }

    /** Credentials per endpoint; an absent entry means no authentication. */
    public record Auth(EndpointAuth alertmanager, EndpointAuth remoteWrite, EndpointAuth drift,
            EndpointAuth pagerduty) {
        public Auth {
            alertmanager = alertmanager == null ? EndpointAuth.none() : alertmanager;
            remoteWrite = remoteWrite == null ? EndpointAuth.none() : remoteWrite;
            drift = drift == null ? EndpointAuth.none() : drift;
            pagerduty = pagerduty == null ? EndpointAuth.none() : pagerduty;
        }
    }

    /**
     * Remote-write keying and limits.
     *
     * @param serviceLabel    the label whose value is a sample's service (and record key)
     * @param fallbackLabels  labels tried in order when {@code serviceLabel} is absent, e.g. {@code job}
     * @param defaultService  the service when none of those labels is present
     * @param maxDecodedBytes largest accepted body after snappy decompression (a small body can expand a lot)
     * @param maxLabelsPerSeries most labels one series may carry (with {@code __name__}); more is a 400
     * @param maxLabelNameChars  longest label name; longer is a 400
     * @param maxLabelValueChars longest label value; longer is a 400 (every sample repeats its labels into Kafka)
     */
    public record RemoteWrite(String serviceLabel, List<String> fallbackLabels, String defaultService,
            long maxDecodedBytes, Integer maxLabelsPerSeries, Integer maxLabelNameChars, Integer maxLabelValueChars) {

        public static final RemoteWrite DEFAULTS = new RemoteWrite("service", List.of("job"), "unknown",
                64L * 1024 * 1024);

        public RemoteWrite(String serviceLabel, List<String> fallbackLabels, String defaultService,
                long maxDecodedBytes) {
            this(serviceLabel, fallbackLabels, defaultService, maxDecodedBytes, null, null, null);
        }

        public RemoteWrite {
            if (serviceLabel == null || serviceLabel.isBlank()) {
                throw new IllegalArgumentException("ingest.remoteWrite.serviceLabel must not be empty");
            }
            fallbackLabels = fallbackLabels == null ? List.of() : List.copyOf(fallbackLabels);
            if (defaultService == null || defaultService.isBlank()) {
                throw new IllegalArgumentException("ingest.remoteWrite.defaultService must not be empty");
            }
            if (maxDecodedBytes < 1024 || maxDecodedBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("ingest.remoteWrite.maxDecodedBytes must be between 1024 and "
                        + "2147483639");
            }
            maxLabelsPerSeries = atLeastOne("ingest.remoteWrite.maxLabelsPerSeries", maxLabelsPerSeries, 128);
            maxLabelNameChars = atLeastOne("ingest.remoteWrite.maxLabelNameChars", maxLabelNameChars, 1024);
            maxLabelValueChars = atLeastOne("ingest.remoteWrite.maxLabelValueChars", maxLabelValueChars, 4096);
        }

        private static int atLeastOne(String key, Integer value, int fallback) {
            if (value == null) {
                return fallback;
            }
            if (value < 1) {
                throw new IllegalArgumentException(key + " must be at least 1, was " + value);
            }
            return value;
        }
    }
}
