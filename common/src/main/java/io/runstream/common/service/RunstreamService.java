package io.runstream.common.service;

import java.net.URI;
import java.util.Map;

/**
 * A Runstream service as the launcher sees it: it starts, says where it listens, and stops. Each
 * service also has its own {@code main} to run alone against any Kafka cluster.
 */
public interface RunstreamService extends AutoCloseable {

    /** Short name used in logs and printed URLs, e.g. {@code ingest-connector}. */
    String name();

    /** Starts serving; returns when the service is up or throws with the reason it could not start. */
    void start();

    /** What a user can reach, by label, e.g. "webhook" -> http://127.0.0.1:8080/api/v1/alertmanager. */
    Map<String, URI> endpoints();

    /** Stops serving and releases everything it holds; safe to call twice. */
    @Override
    void close();
}
