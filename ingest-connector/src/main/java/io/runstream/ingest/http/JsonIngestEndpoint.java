package io.runstream.ingest.http;

import org.eclipse.jetty.server.Request;

import io.micrometer.core.instrument.MeterRegistry;

/** An ingest endpoint taking {@code application/json}. */
public abstract class JsonIngestEndpoint extends IngestEndpoint {

    protected JsonIngestEndpoint(String name, EndpointAuth auth, long maxBodyBytes, MeterRegistry registry,
            long retryAfterSeconds) {
        super(name, auth, maxBodyBytes, registry, retryAfterSeconds);
    }

    @Override
    protected boolean acceptsMediaType(String mediaType, Request request) {
        return mediaType.equals("application/json");
    }

    @Override
    protected String expectedMediaType() {
        return "application/json";
    }
}
