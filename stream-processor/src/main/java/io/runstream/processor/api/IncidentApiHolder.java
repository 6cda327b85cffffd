package io.runstream.processor.api;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import io.runstream.common.http.JsonResponses;

/**
 * Stands in for the {@link IncidentApi} from the moment the HTTP server listens (its port is part of the
 * API's own address) until the API is ready; until then every request is a 503 with Retry-After.
 */
public final class IncidentApiHolder extends Handler.Abstract {

    private volatile IncidentApi api;

    public void serve(IncidentApi ready) {
        this.api = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        IncidentApi current = api;
        if (current == null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            JsonResponses.error(response, 503, "not_ready", "stream processor is starting", null, callback);
            return true;
        }
        return current.handle(request, response, callback);
    }
}
