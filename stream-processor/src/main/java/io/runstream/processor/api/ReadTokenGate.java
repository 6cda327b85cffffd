package io.runstream.processor.api;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import io.runstream.common.http.AccessToken;
import io.runstream.common.http.JsonResponses;

/**
 * Lets a read of incident data through only with {@code api.readToken}, when one is configured: as
 * {@code Authorization: Bearer <token>}, or as the password of HTTP basic authentication (what a browser sends
 * after its own login prompt, for the dashboard and the page's requests alike). Writes (POST) pass on to the
 * handler, which requires the write token; without a read token everything passes.
 */
public final class ReadTokenGate extends Handler.Wrapper {

    private final AccessToken readToken;
    private final String challenge;

    /**
     * @param challenge the {@code WWW-Authenticate} of a 401: a bearer challenge for the API, a basic one for a
     *                  page a browser opens, so that it asks for the token
     */
    private ReadTokenGate(AccessToken readToken, String challenge, Handler api) {
        super(api);
        this.readToken = readToken;
        this.challenge = challenge;
    }

    /** For the JSON API: a 401 challenges for a bearer token. */
    public static ReadTokenGate api(AccessToken readToken, Handler api) {
        return new ReadTokenGate(readToken, AccessToken.BEARER_CHALLENGE, api);
    }

    /** For a page a browser opens: a 401 challenges for basic authentication, so the browser prompts. */
    public static ReadTokenGate page(AccessToken readToken, Handler page) {
        return new ReadTokenGate(readToken, "Basic realm=\"runstream\", charset=\"UTF-8\"", page);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (HttpMethod.POST.is(request.getMethod())
                || readToken.permitsBearerOrBasicPassword(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            return super.handle(request, response, callback);
        }
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, challenge);
        JsonResponses.error(response, 401, "unauthorized",
                "reading needs the read token (api.readToken) as Authorization: Bearer <token>", "Authorization",
                callback);
        return true;
    }
}
