package io.runstream.ingest.http;

import java.util.Locale;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.ingest.parse.RejectedInput;

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

    /** JSON is UTF-8 (RFC 8259) and sent as it is: another charset or a compressed body is a 415, not a 400. */
    @Override
    protected void checkHeaders(Request request) throws RejectedInput {
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
            throw new RejectedInput(415, "unsupported_encoding", "send the JSON uncompressed; got Content-Encoding "
                    + encoding, "Content-Encoding");
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE).toLowerCase(Locale.ROOT);
        int charset = contentType.indexOf("charset=");
        if (charset >= 0) {
            String name = contentType.substring(charset + "charset=".length()).split(";", 2)[0].trim()
                    .replace("\"", "");
            if (!name.equals("utf-8") && !name.equals("utf8")) {
                throw new RejectedInput(415, "unsupported_media_type", "JSON must be UTF-8, not " + name,
                        "Content-Type");
            }
        }
    }
}
