package io.runstream.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.runstream.kafka.FreePorts;

/**
 * Debian's real Prometheus ({@code prometheus} on the PATH) on a loopback port, its configuration
 * ({@code prometheus.yml}) and TSDB ({@code data/}) in a directory of the caller's. Rule files named relative to
 * the configuration resolve in that directory.
 */
public final class PrometheusPeer implements AutoCloseable {

    private final PeerProcess process;
    private final URI uri;

    private PrometheusPeer(PeerProcess process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    /** On a free port. */
    public static PrometheusPeer start(Path directory, String configYaml, String... extraArgs) {
        return start(directory, FreePorts.pick(), configYaml, extraArgs);
    }

    /** On {@code port}, for a configuration that names Prometheus's own address (it scrapes itself). */
    public static PrometheusPeer start(Path directory, int port, String configYaml, String... extraArgs) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("prometheus.yml"), configYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        URI uri = URI.create("http://127.0.0.1:" + port);
        List<String> args = new ArrayList<>(List.of("--config.file=prometheus.yml", "--storage.tsdb.path=data",
                "--web.listen-address=127.0.0.1:" + port));
        args.addAll(List.of(extraArgs));
        return new PrometheusPeer(PeerProcess.start("prometheus", directory, args, uri.resolve("/-/ready")), uri);
    }

    public URI uri() {
        return uri;
    }

    public String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "prometheus at " + uri + " (" + process + ")";
    }
}
