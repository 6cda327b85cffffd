package io.runstream.workers.notify;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.runstream.avro.Severity;

/** Checks shared by the status page, email and Jira settings: each names the key and what was expected. */
final class ChannelSettings {

    private ChannelSettings() {
    }

    static boolean set(String value) {
        return value != null && !value.isBlank();
    }

    static void require(String key, String value, String why) {
        if (!set(value)) {
            throw new IllegalArgumentException(key + " must be set " + why);
        }
    }

    /** An http(s) URL with a host; the value is not echoed, it may carry a secret. */
    static URI url(String key, String url) {
        try {
            URI uri = URI.create(url.strip());
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " must be an http(s) URL with a host");
    }

    /** P1..P4 by name, e.g. [P1, P2]. */
    static Set<Severity> severities(String key, List<String> names) {
        return names.stream().map(name -> {
            try {
                Severity severity = Severity.valueOf(name.strip().toUpperCase(Locale.ROOT));
                if (severity != Severity.UNKNOWN) {
                    return severity;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw new IllegalArgumentException(key + " must list P1, P2, P3 or P4, not '" + name + "'");
        }).collect(Collectors.toUnmodifiableSet());
    }

    static String redacted(String secret) {
        return set(secret) ? "<redacted>" : "<unset>";
    }
}
