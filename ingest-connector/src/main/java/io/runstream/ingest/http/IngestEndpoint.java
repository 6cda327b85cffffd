package io.runstream.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.common.http.BodyDeadline;
import io.runstream.common.http.JsonResponses;
import io.runstream.ingest.kafka.RecordPublisher.KafkaUnavailable;
import io.runstream.ingest.parse.RejectedInput;

/**
 * The common shape of every ingest endpoint: POST only, authentication, content type, a body read under a
 * size cap (refused from Content-Length before reading, or as soon as the stream passes the cap), then the
 * endpoint's own parse-and-produce. Every refusal is a JSON error counted by reason; Kafka trouble is a 503
 * with Retry-After.
 */
public abstract class IngestEndpoint extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(IngestEndpoint.class);

    private final String name;
    private final EndpointAuth auth;
    private final long maxBodyBytes;
    private final MeterRegistry registry;
    private final String retryAfterSeconds;

    protected IngestEndpoint(String name, EndpointAuth auth, long maxBodyBytes, MeterRegistry registry,
            long retryAfterSeconds) {
        this.name = name;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
        this.registry = registry;
        this.retryAfterSeconds = String.valueOf(retryAfterSeconds);
    }

    /** Whether a request's media type (lower-cased, parameters stripped) is acceptable; else 415. */
    protected abstract boolean acceptsMediaType(String mediaType, Request request);

    /** The media type named in the 415 message. */
    protected abstract String expectedMediaType();

    /** Further header checks before the body is read (e.g. Content-Encoding); throws to refuse. */
    protected void checkHeaders(Request request) throws RejectedInput {
    }

    /** Parses and produces; returns the success status. Nothing is produced when it throws RejectedInput. */
    protected abstract int ingest(byte[] body, Request request) throws RejectedInput, KafkaUnavailable;

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            if (!HttpMethod.POST.is(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "POST");
                throw new RejectedInput(405, "method_not_allowed", "use POST", null);
            }
            if (!auth.permits(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, auth.challenge());
                throw new RejectedInput(401, "unauthorized", "missing or wrong credentials", "Authorization");
            }
            String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            String mediaType = contentType == null ? ""
                    : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!acceptsMediaType(mediaType, request)) {
                throw new RejectedInput(415, "unsupported_media_type", "expected Content-Type "
                        + expectedMediaType() + " but got " + (contentType == null ? "none" : contentType),
                        "Content-Type");
            }
            checkHeaders(request);
            byte[] body = readCapped(request);
            int status = ingest(body, request);
            count(status);
            response.setStatus(status);
            callback.succeeded();
        } catch (RejectedInput e) {
            if (e.status() == 408 || "body_too_large".equals(e.reason())) {
                // The rest of the body is not read: this connection cannot carry another request.
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            registry.counter("runstream_ingest_rejections", "endpoint", name, "reason", e.reason()).increment();
            count(e.status());
            JsonResponses.error(response, e.status(), e.reason(), e.getMessage(), e.field(), callback);
        } catch (KafkaUnavailable e) {
            LOG.warn("{}: answering 503, {}", name, e.getMessage());
            count(503);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfterSeconds);
            JsonResponses.error(response, 503, "kafka_unavailable", e.getMessage() + "; retry later", null, callback);
        } catch (RuntimeException e) {
            LOG.error("{}: unexpected failure", name, e);
            count(500);
            JsonResponses.error(response, 500, "internal", "unexpected failure: " + e.getClass().getSimpleName(), null,
                    callback);
        }
        return true;
    }

    private byte[] readCapped(Request request) throws RejectedInput {
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            if (body.length == 0) {
                throw RejectedInput.invalid("empty_body", "the request body is empty", null);
            }
            return body;
        } catch (IOException e) {
            if (BodyDeadline.isBodyTimeout(e)) {
                throw new RejectedInput(408, "body_timeout", "the request body did not arrive in time; "
                        + "send it faster or in a smaller request", null);
            }
            throw RejectedInput.invalid("unreadable_body", "the request body could not be read: " + e.getMessage(),
                    null);
        }
    }

    private RejectedInput tooLarge() {
        return new RejectedInput(413, "body_too_large", "the body exceeds the limit of " + maxBodyBytes + " bytes",
                null);
    }

    private void count(int status) {
        Counter.builder("runstream_ingest_requests")
                .description("Ingest requests by endpoint and response status")
                .tag("endpoint", name).tag("status", String.valueOf(status))
                .register(registry).increment();
    }
}
