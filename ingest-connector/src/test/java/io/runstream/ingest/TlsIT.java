package io.runstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runstream.common.http.HttpSettings;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.TopicCatalog;
import io.runstream.schemas.TopicSettings;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/** With {@code http.tls} configured the connector speaks HTTPS only, with the key store's certificate. */
@WithKafka
class TlsIT {

    private static final String PASSWORD = "changeit";

    private ConnectorFixture fixture;
    private TopicCatalog catalog;

    @BeforeEach
    void start(TestKafka kafka, @TempDir Path directory) throws Exception {
        Path keyStore = selfSignedKeyStore(directory);
        fixture = new ConnectorFixture(kafka.bootstrapServers(), kafka.topicPrefix(), ConnectorFixture.settings(),
                new HttpSettings("127.0.0.1", 0, new HttpSettings.Tls(keyStore, PASSWORD, "PKCS12")),
                HttpClient.newBuilder().sslContext(trusting(keyStore)).connectTimeout(Duration.ofSeconds(5)).build());
        catalog = new TopicCatalog(new TopicSettings(kafka.topicPrefix(), 1, (short) 1), RunstreamSerdes.avro());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void acceptsAlertsOverHttpsAndRefusesPlainHttp() throws Exception {
        HttpResponse<String> response = fixture.postAlerts(Payloads.ALERTMANAGER_FIRING_AND_RESOLVED);

        assertThat(fixture.uri("/").getScheme()).isEqualTo("https");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(fixture.readAll(catalog.alerts())).hasSize(2);
        URI plain = URI.create(fixture.uri("/health/live").toString().replace("https:", "http:"));
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    /** A certificate for 127.0.0.1 made with the JDK's keytool, as an operator would for a test setup. */
    private static Path selfSignedKeyStore(Path directory) throws Exception {
        Path keyStore = directory.resolve("ingest.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "ingest",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD)).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
        return keyStore;
    }

    /** Trusts exactly the key store's own certificate, with hostname verification left on. */
    private static SSLContext trusting(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
