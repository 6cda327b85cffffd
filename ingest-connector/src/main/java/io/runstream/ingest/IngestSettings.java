package io.runstream.ingest;

import java.time.Duration;
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
 */
public record IngestSettings(long maxBodyBytes, int maxJsonDepth, Duration produceTimeout, Duration retryAfter,
        Auth auth) {

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
}
