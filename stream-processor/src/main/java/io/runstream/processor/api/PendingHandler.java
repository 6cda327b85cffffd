package io.runstream.processor.api;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import io.runstream.common.http.JsonResponses;

/**
 * Stands in for an API handler from the moment the HTTP server listens (its port is part of the API's own
 * address, which Kafka Streams must know before it starts) until the handler is ready; until then every
 * request is a 503 with Retry-After.
 */
public final class PendingHandler extends Handler.Abstract {

    private volatile Handler api;

    public void serve(Handler ready) {
        this.api = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler current = api;
        if (current == null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            JsonResponses.error(response, 503, "not_ready", "stream processor is starting", null, callback);
            return true;
        }
        return current.handle(request, response, callback);
    }
}
