package io.runstream.common.http;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers every error the HTTP server itself produces (a header block over the limit, a URI too long, a request
 * Jetty cannot parse, an unknown path) in Runstream's one error shape, {@code {"error", "message"}}, instead of
 * Jetty's HTML page, and never with a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        JsonResponses.error(response, code, reason(code), describe(code, message), null, callback);
    }

    /** A stable, machine-readable reason per status, as the services' own refusals have. */
    static String reason(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }

    private static String describe(int status, String message) {
        String standard = HttpStatus.getMessage(status);
        // Jetty's messages name the limit or the parse problem; they never carry request contents or credentials.
        return message == null || message.isBlank() || message.equals(standard) ? standard : standard + ": " + message;
    }
}
