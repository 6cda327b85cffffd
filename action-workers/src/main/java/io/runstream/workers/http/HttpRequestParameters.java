package io.runstream.workers.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.runstream.common.config.DurationParser;
import io.runstream.workers.RejectedCommandException;

/**
 * The parameters of an HTTP_REQUEST command, checked: {@code url} (required, absolute http(s), no user info,
 * fragment or {@code ..} segment), {@code method} (POST by default; GET, PUT, DELETE), {@code header.NAME},
 * {@code tokenRef} (the name of a bearer token the workers hold), {@code expectStatus} (e.g. {@code 2xx},
 * {@code 200,404}; 2xx by default), {@code timeout} (per try) and {@code body} (sent as JSON unless a
 * {@code header.Content-Type} says otherwise). Anything else is refused with {@code malformed_parameters}, a bad
 * URL with {@code malformed_url}.
 */
record HttpRequestParameters(String method, URI url, Map<String, String> headers, String tokenRef,
        ExpectedStatus expected, Duration timeout, String body) {

    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");
    static final Set<String> KEYS = Set.of("url", "method", "tokenRef", "expectStatus", "timeout", "body");
    /** Headers a step may not set: the worker sets them, or the HTTP client owns them. */
    static final Set<String> RESERVED_HEADERS = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

    static {
        RESERVED_HEADERS.addAll(Set.of("Authorization", "Idempotency-Key", "Host", "Content-Length", "Connection",
                "Expect", "Upgrade", "Transfer-Encoding", "Proxy-Authorization", "Cookie"));
    }

    static HttpRequestParameters parse(Map<String, String> parameters, Duration defaultTimeout, Duration maxTimeout) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            String key = p.getKey();
            if (key.startsWith("header.")) {
                headers.put(header(key.substring("header.".length()), p.getValue()), p.getValue());
            } else if (!KEYS.contains(key)) {
                throw malformed("HTTP_REQUEST takes url, method, header.NAME, tokenRef, expectStatus, timeout and"
                        + " body, not " + key);
            }
        }
        String method = parameters.getOrDefault("method", "POST").trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw malformed("method must be one of GET, POST, PUT, DELETE, was '" + parameters.get("method") + "'");
        }
        String tokenRef = parameters.get("tokenRef");
        if (tokenRef != null && tokenRef.isBlank()) {
            throw malformed("tokenRef must name a secret in httpActions.secrets or httpActions.secretFiles");
        }
        String body = parameters.get("body");
        if (body != null && (method.equals("GET") || method.equals("DELETE"))) {
            throw malformed("a body goes with POST or PUT, not " + method);
        }
        return new HttpRequestParameters(method, url(parameters.get("url")), Map.copyOf(headers), tokenRef,
                ExpectedStatus.parse(parameters.getOrDefault("expectStatus", "2xx")),
                timeout(parameters.get("timeout"), defaultTimeout, maxTimeout), body);
    }

    /** {@code host:port} as the URL names it, which the command's target name must equal. */
    String authority() {
        return url.getRawAuthority().toLowerCase(Locale.ROOT);
    }

    private static URI url(String text) {
        if (text == null || text.isBlank()) {
            throw new RejectedCommandException("malformed_url", "HTTP_REQUEST needs a url");
        }
        if (text.contains("{{")) {
            throw new RejectedCommandException("malformed_url", "url still holds a placeholder: " + cut(text));
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new RejectedCommandException("malformed_url", "url is not a URL (" + e.getReason() + " at index "
                    + e.getIndex() + "): " + cut(text));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new RejectedCommandException("malformed_url", "url must be an absolute http(s) URL with a host: "
                    + cut(text));
        }
        if (uri.getRawUserInfo() != null) {
            // credentials go by tokenRef, never in a URL that ends up on the timeline
            throw new RejectedCommandException("malformed_url", "url must not carry user info (use tokenRef)");
        }
        if (uri.getRawFragment() != null) {
            throw new RejectedCommandException("malformed_url", "url must not have a fragment: " + cut(text));
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (("/" + path + "/").contains("/../") || path.toLowerCase(Locale.ROOT).contains("%2e%2e")
                || path.contains("\\")) {
            // a label value such as ../../admin must not walk the path to another endpoint of an allowed host
            throw new RejectedCommandException("malformed_url", "url path must not contain '..' segments or"
                    + " backslashes: " + cut(text));
        }
        return uri;
    }

    private static String header(String name, String value) {
        if (!HEADER_NAME.matcher(name).matches()) {
            throw malformed("header." + name + " is not an HTTP header name");
        }
        if (RESERVED_HEADERS.contains(name)) {
            throw malformed("header." + name + " is set by the worker or the HTTP client"
                    + (name.equalsIgnoreCase("Authorization") ? "; name a bearer token with tokenRef" : ""));
        }
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw malformed("header." + name + " has a line break in its value");
        }
        return name;
    }

    private static Duration timeout(String text, Duration defaultTimeout, Duration maxTimeout) {
        if (text == null) {
            return defaultTimeout;
        }
        Duration timeout;
        try {
            timeout = DurationParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw malformed("timeout: " + e.getMessage());
        }
        if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(maxTimeout) > 0) {
            throw malformed("timeout must be positive and at most " + maxTimeout + " (httpActions.maxTimeout), was "
                    + text);
        }
        return timeout;
    }

    private static RejectedCommandException malformed(String message) {
        return new RejectedCommandException("malformed_parameters", message);
    }

    static String cut(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** Status codes that count as success: classes such as {@code 2xx} and single codes, comma-separated. */
    record ExpectedStatus(String text, Set<Integer> codes, Set<Integer> classes) {

        private static final Pattern ENTRY = Pattern.compile("[1-5]xx|[1-5][0-9]{2}");

        static ExpectedStatus parse(String text) {
            Set<Integer> codes = new TreeSet<>();
            Set<Integer> classes = new TreeSet<>();
            for (String part : text.split(",", -1)) {
                String entry = part.trim().toLowerCase(Locale.ROOT);
                if (!ENTRY.matcher(entry).matches()) {
                    throw malformed("expectStatus must be status codes or classes such as 2xx, comma-separated, was '"
                            + cut(text) + "'");
                }
                if (entry.endsWith("xx")) {
                    classes.add(entry.charAt(0) - '0');
                } else {
                    codes.add(Integer.parseInt(entry));
                }
            }
            return new ExpectedStatus(text.trim(), Set.copyOf(codes), Set.copyOf(classes));
        }

        boolean accepts(int status) {
            return codes.contains(status) || classes.contains(status / 100);
        }
    }
}
