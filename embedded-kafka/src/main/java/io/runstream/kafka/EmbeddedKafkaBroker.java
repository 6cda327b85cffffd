package io.runstream.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), started in this
 * JVM from the Kafka jars. It binds to 127.0.0.1 only, formats its storage on first start, and can be
 * stopped and started again on the same ports and data, which is what fault tests need.
 *
 * <p>Not a mock: it is the same {@code KafkaRaftServer} that {@code kafka-server-start.sh} runs, with
 * the single-node settings a one-broker cluster needs (replication factor 1 for internal topics).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDirectory;
    private final boolean deleteDataOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Builder builder) {
        this.dataDirectory = builder.dataDirectory;
        this.deleteDataOnClose = builder.deleteDataOnClose;
        this.brokerPort = builder.brokerPort != 0 ? builder.brokerPort : FreePorts.pick();
        this.controllerPort = FreePorts.pick();
        this.overrides = Map.copyOf(builder.overrides);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Formats the storage if needed, starts the broker and waits until it serves clients. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        long startedAt = System.nanoTime();
        Path propertiesFile = writeServerProperties();
        formatStorageIfNeeded(propertiesFile);
        KafkaConfig config = new KafkaConfig(serverProperties(), false);
        KafkaRaftServer raftServer = new KafkaRaftServer(config, Time.SYSTEM);
        raftServer.startup();
        server = raftServer;
        awaitReady();
        log.info("Kafka broker ready at {} in {} ms (data in {})", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), dataDirectory);
        return this;
    }

    /** Stops the broker, keeping its data and ports so that {@link #start()} brings it back. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        log.info("Kafka broker at {} stopped", bootstrapServers());
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Client properties that reach this broker; callers add their own on top. */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    @Override
    public void close() {
        stop();
        if (deleteDataOnClose) {
            deleteRecursively(dataDirectory);
        }
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("log.dirs", dataDirectory.resolve("logs").toString());
        // One broker: internal topics cannot have more than one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Topics are created by Runstream's catalog, never by accident from a typo'd client.
        p.put("auto.create.topics.enable", "false");
        // No reason to wait for more group members on a one-node development broker.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        overrides.forEach(p::put);
        return p;
    }

    private Path writeServerProperties() {
        try {
            Files.createDirectories(dataDirectory);
            Path file = dataDirectory.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(file)) {
                serverProperties().store(out, "Runstream embedded KRaft broker");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the broker configuration under " + dataDirectory, e);
        }
    }

    private void formatStorageIfNeeded(Path propertiesFile) {
        if (Files.exists(dataDirectory.resolve("logs").resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "--standalone", "--ignore-formatted",
            "--cluster-id", Uuid.randomUuid().toString(), "--config", propertiesFile.toString()};
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool$.MODULE$.execute(args, printStream);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + dataDirectory + " failed (exit "
                    + exitCode + "): " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady() {
        Properties adminProperties = clientProperties();
        adminProperties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        adminProperties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(adminProperties)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker at " + bootstrapServers()
                                + " did not become ready within " + READY_TIMEOUT, e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete broker data in {}", root, e);
        }
    }

    /** How to build a broker: where its data lives and, optionally, which client port it takes. */
    public static final class Builder {
        private Path dataDirectory;
        private boolean deleteDataOnClose;
        private int brokerPort;
        private final java.util.HashMap<String, String> overrides = new java.util.HashMap<>();

        /** Data directory to keep across runs; without one, a temporary directory deleted on close. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** Client port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.brokerPort = port;
            return this;
        }

        /** A broker setting on top of the single-node defaults, e.g. {@code log.retention.ms}. */
        public Builder brokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafkaBroker build() {
            if (dataDirectory == null) {
                try {
                    dataDirectory = Files.createTempDirectory("runstream-kafka-");
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot create a temporary directory for Kafka data", e);
                }
                deleteDataOnClose = true;
            }
            return new EmbeddedKafkaBroker(this);
        }
    }
}
