package io.runstream.common.http;

import java.nio.file.Path;

/**
 * Where a service's HTTP server listens. Port 0 picks a free port (what tests and the launcher use).
 * With {@code tls} set the server speaks HTTPS only, from a PKCS12 or JKS key store.
 */
public record HttpSettings(String host, int port, Tls tls) {

    public HttpSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("http.host must be set, e.g. 127.0.0.1 or 0.0.0.0");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("http.port must be 0..65535, was " + port);
        }
    }

    public static HttpSettings loopback() {
        return new HttpSettings("127.0.0.1", 0, null);
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
}
