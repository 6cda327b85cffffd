package io.runstream.processor.rules;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.runstream.common.config.DurationParser;

/**
 * What the runbooks file can tell about an HTTP_REQUEST step before its templates are filled: target kind
 * {@code http} named by the url's own {@code host:port} (so a host's calls are keyed, ordered and rate-limited
 * together), known parameters, an http(s) url without user info, a method, no Authorization header (a token goes
 * by {@code tokenRef}, the name of a secret the workers hold), and a well-formed expectStatus and timeout. The
 * workers check the filled-in command again (docs/action-workers.md, HTTP_REQUEST).
 */
final class HttpStepCheck {

    static final String TARGET_KIND = "http";
    private static final Set<String> KEYS = Set.of("url", "method", "tokenRef", "expectStatus", "timeout", "body");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");
    private static final Set<String> RESERVED_HEADERS = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private static final Pattern URL = Pattern.compile("(?i)(https?)://([^/?#]*)(.*)");
    private static final Pattern EXPECT = Pattern.compile("\\s*([1-5]xx|[1-5][0-9]{2})\\s*(,\\s*([1-5]xx|[1-5][0-9]{2})"
            + "\\s*)*");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    static {
        RESERVED_HEADERS.addAll(Set.of("Authorization", "Idempotency-Key", "Host", "Content-Length", "Connection",
                "Expect", "Upgrade", "Transfer-Encoding", "Proxy-Authorization", "Cookie"));
    }

    private HttpStepCheck() {
    }

    /** Adds a problem to {@code step} for each thing wrong; {@code name} is "runbook step step-name". */
    static void check(YamlSection step, String name, String targetKind, String targetName,
            Map<String, String> parameters) {
        if (!TARGET_KIND.equals(targetKind)) {
            step.problem("target", name + ": HTTP_REQUEST goes to target kind http (name: the url's host:port),"
                    + " not '" + targetKind + "'");
        }
        for (String key : parameters.keySet()) {
            if (key.startsWith("header.")) {
                header(step, name, key.substring("header.".length()));
            } else if (!KEYS.contains(key)) {
                step.problem("parameters", name + ": HTTP_REQUEST takes url, method, header.NAME, tokenRef,"
                        + " expectStatus, timeout and body, not " + key);
            }
        }
        url(step, name, parameters.get("url"), targetName);
        String method = parameters.get("method");
        if (method != null && !METHODS.contains(method.trim().toUpperCase(Locale.ROOT))) {
            step.problem("parameters", name + ": method must be GET, POST, PUT or DELETE, was '" + method + "'");
        }
        String tokenRef = parameters.get("tokenRef");
        if (tokenRef != null && !SECRET_NAME.matcher(tokenRef).matches()) {
            step.problem("parameters", name + ": tokenRef names a secret of the workers' httpActions.secrets"
                    + " (letters, digits, '.', '_', '-'), not a token or a template");
        }
        String expect = parameters.get("expectStatus");
        if (expect != null && !EXPECT.matcher(expect.toLowerCase(Locale.ROOT)).matches()) {
            step.problem("parameters", name + ": expectStatus must be status codes or classes such as 2xx,"
                    + " comma-separated, was '" + expect + "'");
        }
        String timeout = parameters.get("timeout");
        if (timeout != null) {
            try {
                DurationParser.parse(timeout);
            } catch (IllegalArgumentException e) {
                step.problem("parameters", name + ": timeout: " + e.getMessage());
            }
        }
    }

    private static void url(YamlSection step, String name, String url, String targetName) {
        if (url == null) {
            step.problem("parameters", name + ": HTTP_REQUEST needs a url");
            return;
        }
        Matcher matcher = URL.matcher(url);
        if (!matcher.matches() || matcher.group(2).isEmpty()) {
            step.problem("parameters", name + ": url must start with http:// or https:// and a host, was '" + url
                    + "'");
            return;
        }
        String authority = matcher.group(2);
        if (authority.contains("@")) {
            step.problem("parameters", name + ": url must not carry user info; name a token with tokenRef");
        } else if (!authority.equals(targetName)) {
            step.problem("target", name + ": target name '" + targetName + "' must be the url's host:port '"
                    + authority + "', by which the host's calls are kept in order");
        }
    }

    private static void header(YamlSection step, String name, String header) {
        if (RESERVED_HEADERS.contains(header)) {
            step.problem("parameters", name + ": header." + header + " is set by the workers"
                    + (header.equalsIgnoreCase("Authorization") ? "; name the token with tokenRef" : ""));
        }
    }
}
