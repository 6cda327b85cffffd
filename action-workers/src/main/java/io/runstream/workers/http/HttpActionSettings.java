package io.runstream.workers.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What HTTP_REQUEST commands may call and with which credentials. Only hosts on {@code allowedHosts} are called;
 * an empty list refuses every HTTP_REQUEST. Bearer tokens are held here, by name, and a command names one
 * ({@code tokenRef}); the token itself never travels on Kafka. Every {@code toString} redacts them.
 *
 * @param allowedHosts exact {@code host} or {@code host:port} entries; a {@code host} entry allows the scheme's
 *        default port only (80 for http, 443 for https)
 * @param secrets bearer tokens by name (RUNSTREAM_HTTP_ACTIONS_SECRETS_CIRCUIT_RESET sets {@code circuit.reset},
 *        which a {@code tokenRef: circuit-reset} finds: names compare with '-', '_' and '.' alike)
 * @param secretFiles files holding bearer tokens, by name, as Docker and Kubernetes mount secrets; read at each
 *        use (a rotated secret applies at once), checked for readability at startup; {@code secrets} wins
 * @param requestTimeout how long one try may take when a step sets no {@code timeout}
 * @param maxTimeout the longest {@code timeout} a step may ask for
 * @param maxResponseBytes how much of a response body is read; a longer body fails the command
 */
public record HttpActionSettings(List<String> allowedHosts, Map<String, String> secrets,
        Map<String, String> secretFiles, Duration requestTimeout, Duration maxTimeout, int maxResponseBytes) {

    private static final Pattern HOST_ENTRY = Pattern.compile(
            "(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)"
                    + "(:[0-9]{1,5})?");
    static final int MAX_RESPONSE_BYTES_CAP = 10 * 1024 * 1024;

    public HttpActionSettings {
        allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        secretFiles = secretFiles == null ? Map.of() : Map.copyOf(secretFiles);
        Objects.requireNonNull(requestTimeout, "httpActions.requestTimeout");
        Objects.requireNonNull(maxTimeout, "httpActions.maxTimeout");
        for (String entry : allowedHosts) {
            if (!HOST_ENTRY.matcher(entry).matches()) {
                throw new IllegalArgumentException("httpActions.allowedHosts: '" + entry
                        + "' is not a host or host:port (no scheme, path or wildcard), e.g. triton.ml-serving:8000");
            }
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || maxTimeout.compareTo(requestTimeout) < 0) {
            throw new IllegalArgumentException("httpActions: 0 < requestTimeout <= maxTimeout expected, was "
                    + requestTimeout + " and " + maxTimeout);
        }
        if (maxResponseBytes < 1 || maxResponseBytes > MAX_RESPONSE_BYTES_CAP) {
            throw new IllegalArgumentException("httpActions.maxResponseBytes must be 1 to " + MAX_RESPONSE_BYTES_CAP
                    + ", was " + maxResponseBytes);
        }
        secretFiles.forEach((name, file) -> {
            if (!Files.isReadable(Path.of(file))) {
                throw new IllegalArgumentException("httpActions.secretFiles." + name + " names " + file
                        + ", which cannot be read");
            }
        });
    }

    /**
     * Whether a URL's host and port are allowed.
     *
     * @param host the URL's host, lower case ({@code [::1]} for IPv6)
     * @param port the URL's port, or -1 for the scheme's default
     */
    public boolean allows(String scheme, String host, int port) {
        int defaultPort = "https".equals(scheme) ? 443 : 80;
        int effective = port < 0 ? defaultPort : port;
        String lowerHost = host.toLowerCase(Locale.ROOT);
        return allowedHosts.stream().anyMatch(entry -> {
            int colon = entry.lastIndexOf(':');
            boolean hasPort = colon > entry.lastIndexOf(']');
            String entryHost = hasPort ? entry.substring(0, colon) : entry;
            int entryPort = hasPort ? Integer.parseInt(entry.substring(colon + 1)) : defaultPort;
            return entryHost.equals(lowerHost) && entryPort == effective;
        });
    }

    /** The bearer token a step's {@code tokenRef} names, if this worker holds one by that name. */
    public Optional<String> secret(String name) {
        Optional<String> inline = named(secrets, name).filter(v -> !v.isBlank());
        if (inline.isPresent()) {
            return inline;
        }
        return named(secretFiles, name).map(file -> {
            try {
                return Files.readString(Path.of(file)).replaceFirst("\\R\\z", "");
            } catch (IOException e) {
                // the path may be named, the content never
                return "";
            }
        }).filter(v -> !v.isBlank());
    }

    private static Optional<String> named(Map<String, String> byName, String name) {
        String wanted = normalised(name);
        return byName.entrySet().stream().filter(e -> normalised(e.getKey()).equals(wanted))
                .map(Map.Entry::getValue).filter(Objects::nonNull).findFirst();
    }

    private static String normalised(String name) {
        return name == null ? "" : name.toLowerCase(Locale.ROOT).replace('-', '.').replace('_', '.');
    }

    @Override
    public String toString() {
        return "HttpActionSettings[allowedHosts=" + allowedHosts + ", secrets=" + secrets.keySet() + " <redacted>"
                + ", secretFiles=" + secretFiles + ", requestTimeout=" + requestTimeout + ", maxTimeout=" + maxTimeout
                + ", maxResponseBytes=" + maxResponseBytes + "]";
    }
}
