package io.runstream.common.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A shared secret a client presents as {@code Authorization: Bearer <token>}. An empty token means "not
 * required". Comparison is in constant time (of the expected length) so response timing does not tell an attacker
 * how much of a guess was right, and byte for byte, so a differently-cased token is refused.
 */
public final class AccessToken {

    /** The challenge of a 401 for a bearer token. */
    public static final String BEARER_CHALLENGE = "Bearer realm=\"runstream\"";

    private final String token;

    private AccessToken(String token) {
        this.token = token;
    }

    /** A token that must be presented; null or blank means none is required. */
    public static AccessToken of(String token) {
        return new AccessToken(token == null ? "" : token.trim());
    }

    /** Whether a token is configured at all. */
    public boolean required() {
        return !token.isEmpty();
    }

    /** Whether an {@code Authorization} header value (may be null) carries this token as a bearer token. */
    public boolean permitsBearer(String authorization) {
        return !required() || equalInConstantTime(stripped(authorization), "Bearer " + token);
    }

    /**
     * Whether the header carries the token as a bearer token, or as the password of HTTP basic authentication
     * (any user name). Basic is what a browser can send for a page it navigates to, after its own login prompt,
     * and it then sends the same credentials with the page's own requests to this origin.
     */
    public boolean permitsBearerOrBasicPassword(String authorization) {
        if (permitsBearer(authorization)) {
            return true;
        }
        String presented = stripped(authorization);
        if (!presented.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(presented.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        String userAndPassword = new String(decoded, StandardCharsets.UTF_8);
        int colon = userAndPassword.indexOf(':');
        return colon >= 0 && equalInConstantTime(userAndPassword.substring(colon + 1), token);
    }

    /** The value this token is sent as by a client of another instance: {@code Bearer <token>}, or null if none. */
    public String authorizationHeader() {
        return required() ? "Bearer " + token : null;
    }

    private static String stripped(String authorization) {
        return authorization == null ? "" : authorization.trim();
    }

    private static boolean equalInConstantTime(String presented, String expected) {
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return required() ? "AccessToken[<redacted>]" : "AccessToken[<none>]";
    }
}
