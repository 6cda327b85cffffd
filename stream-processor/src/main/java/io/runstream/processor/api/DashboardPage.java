package io.runstream.processor.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import io.runstream.common.http.JsonResponses;

/**
 * {@code GET /dashboard}: one static page (plain HTML and JavaScript, no build step) over the incident API:
 * open incidents by severity with age and state, an incident's alerts, actions and timeline, and acknowledge,
 * resolve and approve buttons that use the API's write token.
 */
public final class DashboardPage extends Handler.Abstract {

    public static final String PATH = "/dashboard";
    private final String html;

    public DashboardPage() {
        try (InputStream in = DashboardPage.class.getResourceAsStream("/dashboard/index.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard/index.html is missing from the classpath");
            }
            html = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"GET".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET");
            JsonResponses.error(response, 405, "method_not_allowed", "the dashboard is read with GET", null, callback);
            return true;
        }
        // The page runs only its own inline script and talks only to this origin.
        response.getHeaders().put("Content-Security-Policy",
                "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        JsonResponses.text(response, 200, "text/html; charset=utf-8", html, callback);
        return true;
    }
}
