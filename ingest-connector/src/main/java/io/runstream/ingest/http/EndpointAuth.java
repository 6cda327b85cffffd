package io.runstream.ingest.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * How one endpoint authenticates its sender, as Alertmanager's and Prometheus's {@code http_config} send it:
 * {@code none}, {@code bearer} (a token) or {@code basic} (user and password). Credentials are compared in
 * constant time so response timing does not leak how much of a guess was right.
 */
public record EndpointAuth(String type, String token, String username, String password) {

    public EndpointAuth {
        type = type == null ? "none" : type.trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "none" -> {
            }
            case "bearer" -> {
                if (token == null || token.isBlank()) {
                    throw new IllegalArgumentException("auth type bearer needs a non-empty token");
                }
            }
            case "basic" -> {
                if (username == null || username.isBlank() || password == null || password.isEmpty()) {
                    throw new IllegalArgumentException("auth type basic needs username and password");
                }
            }
            default -> throw new IllegalArgumentException("auth type must be none, bearer or basic, not " + type);
        }
    }

    public static EndpointAuth none() {
        return new EndpointAuth("none", null, null, null);
    }

    public static EndpointAuth bearer(String token) {
        return new EndpointAuth("bearer", token, null, null);
    }

    public static EndpointAuth basic(String username, String password) {
        return new EndpointAuth("basic", null, username, password);
    }

    /** Whether the request's {@code Authorization} header value (may be null) satisfies this endpoint. */
    public boolean permits(String authorization) {
        return switch (type) {
            case "none" -> true;
            case "bearer" -> matches(authorization, "Bearer " + token);
            case "basic" -> matches(authorization, "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
            default -> false;
        };
    }

    /** The {@code WWW-Authenticate} challenge for a 401, or null when none is required. */
    public String challenge() {
        return switch (type) {
            case "bearer" -> "Bearer realm=\"runstream\"";
            case "basic" -> "Basic realm=\"runstream\", charset=\"UTF-8\"";
            default -> null;
        };
    }

    private static boolean matches(String presented, String expected) {
        byte[] a = (presented == null ? "" : presented.trim()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(a, expected.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "EndpointAuth[" + type + "]";
    }
}
