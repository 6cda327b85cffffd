package io.runstream.common.http;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a service's HTTP server listens, and what it tolerates from a client. Port 0 picks a free port (what
 * tests and the launcher use). With {@code tls} set the server speaks HTTPS only, from a PKCS12 or JKS key store.
 */
public record HttpSettings(String host, int port, Tls tls, Limits limits) {

    public HttpSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("http.host must be set, e.g. 127.0.0.1 or 0.0.0.0");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("http.port must be 0..65535, was " + port);
        }
        limits = limits == null ? Limits.DEFAULTS : limits;
    }

    public HttpSettings(String host, int port, Tls tls) {
        this(host, port, tls, null);
    }

    public static HttpSettings loopback() {
        return new HttpSettings("127.0.0.1", 0, null);
    }

    public HttpSettings withLimits(Limits newLimits) {
        return new HttpSettings(host, port, tls, newLimits);
    }

    public HttpSettings withPort(int newPort) {
        return new HttpSettings(host, newPort, tls, limits);
    }

    /** A key store holding the server's certificate and private key. */
    public record Tls(Path keyStore, String keyStorePassword, String keyStoreType) {
        public Tls {
            if (keyStore == null) {
                throw new IllegalArgumentException("http.tls.keyStore must name a PKCS12 or JKS file");
            }
            keyStoreType = keyStoreType == null || keyStoreType.isBlank() ? "PKCS12" : keyStoreType;
        }

        @Override
        public String toString() {
            return "Tls[keyStore=" + keyStore + ", keyStoreType=" + keyStoreType + ", keyStorePassword=***]";
        }
    }

    /**
     * What one client may cost the server, so that slow or oversized requests are cut off and everyone else is
     * still served. Absent values take the defaults.
     *
     * @param idleTimeout    a connection with no bytes either way for this long is closed
     * @param headerTimeout  a request's header block must be complete within this (slow-loris on headers)
     * @param bodyTimeout    a request's body must be complete within this from the moment it is read
     * @param maxHeaderBytes largest request line plus header block; bigger gets 431 (414 for the URI alone)
     * @param maxConnections open connections at most; beyond it the server stops accepting until some close
     */
    public record Limits(Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout, Integer maxHeaderBytes,
            Integer maxConnections) {

        public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(60), 8192, 1000);

        public Limits {
            idleTimeout = positive("http.limits.idleTimeout", idleTimeout, Duration.ofSeconds(30));
            headerTimeout = positive("http.limits.headerTimeout", headerTimeout, Duration.ofSeconds(10));
            bodyTimeout = positive("http.limits.bodyTimeout", bodyTimeout, Duration.ofSeconds(60));
            maxHeaderBytes = maxHeaderBytes == null ? 8192 : maxHeaderBytes;
            if (maxHeaderBytes < 1024 || maxHeaderBytes > 1024 * 1024) {
                throw new IllegalArgumentException("http.limits.maxHeaderBytes must be 1024..1048576, was "
                        + maxHeaderBytes);
            }
            maxConnections = maxConnections == null ? 1000 : maxConnections;
            if (maxConnections < 1) {
                throw new IllegalArgumentException("http.limits.maxConnections must be at least 1, was "
                        + maxConnections);
            }
        }

        private static Duration positive(String key, Duration value, Duration fallback) {
            if (value == null) {
                return fallback;
            }
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(key + " must be positive, was " + value);
            }
            return value;
        }
    }
}
