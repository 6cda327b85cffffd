package io.runstream.processor;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

import org.apache.kafka.streams.KafkaStreams;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runstream.common.http.AccessToken;
import io.runstream.common.http.ServiceHttpServer;
import io.runstream.common.kafka.Topics;
import io.runstream.common.service.Metrics;
import io.runstream.common.service.RunstreamService;
import io.runstream.processor.api.CommandPublisher;
import io.runstream.processor.api.DashboardPage;
import io.runstream.processor.api.EscalationsApi;
import io.runstream.processor.api.InboxApi;
import io.runstream.processor.api.IncidentApi;
import io.runstream.processor.api.OpenIncidentsGauge;
import io.runstream.processor.api.PendingHandler;
import io.runstream.processor.api.ReadTokenGate;
import io.runstream.processor.api.ServiceHealthApi;
import io.runstream.processor.errors.DeadLetterConfig;
import io.runstream.processor.memory.BoundedMemoryRocksDbConfig;
import io.runstream.processor.memory.RocksDbMemoryMetrics;
import io.runstream.processor.memory.SharedRocksDbMemory;
import io.runstream.processor.rules.NotificationChannels;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.schemas.TopicCatalog;

/** The Kafka Streams application, and the HTTP server that serves its state. */
public final class StreamProcessor implements RunstreamService {

    public static final String NAME = "stream-processor";
    private static final Logger log = LoggerFactory.getLogger(StreamProcessor.class);

    private final StreamProcessorConfig config;
    private final PrometheusMeterRegistry registry = Metrics.newRegistry(NAME);
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private ServiceHttpServer http;
    private CommandPublisher commandPublisher;
    private Path temporaryStateDir;
    private SharedRocksDbMemory rocksDbMemory;
    private volatile boolean closing;
    private UncaughtExceptionPolicy uncaughtExceptions;
    private UncleanShutdownGuard shutdownGuard;
    private UnaryOperator<Topology> topologyExtension = UnaryOperator.identity();

    public StreamProcessor(StreamProcessorConfig config) {
        this.config = config;
    }

    /** Test seam: adds nodes to the built topology, e.g. a processor that fails, before the instance starts. */
    StreamProcessor withTopologyExtension(UnaryOperator<Topology> extension) {
        this.topologyExtension = extension;
        return this;
    }

    public static void main(String[] args) {
        io.runstream.common.service.ServiceMain.run(args, StreamProcessorConfig.class, StreamProcessorConfig.DEFAULTS,
                StreamProcessor::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start() {
        // Rules first: a bad rules file fails the start before anything connects.
        RulesFile rules = config.rules();
        Runbooks runbooks = config.runbooks();
        // The processor cannot see the workers' configuration: this list is what an operator compares with it.
        log.info("Notification channels the escalation policy and runbooks send to (the action workers must reach "
                + "each, else they answer channel_not_configured or deliver to their local inbox): {}",
                NotificationChannels.describe(NotificationChannels.of(runbooks)));
        TopicCatalog catalog = Topics.start(config.kafka(), config.schemas());
        // The API must listen before Kafka Streams starts: its address is what other instances route to.
        AtomicReference<KafkaStreams> running = new AtomicReference<>();
        PendingHandler incidentApi = new PendingHandler();
        PendingHandler healthApi = new PendingHandler();
        PendingHandler escalationsApi = new PendingHandler();
        PendingHandler inboxApi = new PendingHandler();
        AccessToken readToken = AccessToken.of(config.api().readToken());
        ReadTokenGate gatedIncidentApi = ReadTokenGate.api(readToken, incidentApi);
        http = ServiceHttpServer.builder(NAME, config.http(), registry)
                .readiness(ServiceHttpServer.ReadinessCheck.of("streams", () -> {
                    KafkaStreams current = running.get();
                    return current != null && current.state() == KafkaStreams.State.RUNNING ? null
                            : "streams state " + (current == null ? "NOT_STARTED" : current.state());
                }))
                .liveness(ServiceHttpServer.ReadinessCheck.of("streams", () -> deadStreams(running.get())))
                .route(IncidentApi.INCIDENTS_PATH, gatedIncidentApi)
                .route(IncidentApi.INCIDENTS_PATH + "/*", gatedIncidentApi)
                .route(ServiceHealthApi.SERVICES_PATH + "/*", ReadTokenGate.api(readToken, healthApi))
                .route(EscalationsApi.PATH, ReadTokenGate.api(readToken, escalationsApi))
                .route(InboxApi.PATH, ReadTokenGate.api(readToken, inboxApi))
                .route(DashboardPage.PATH, ReadTokenGate.page(readToken, new DashboardPage()))
                .build()
                .start();
        HostInfo self = new HostInfo(advertisedHost(), http.port());
        commandPublisher = new CommandPublisher(config.kafka().clientProperties(), catalog.incidentCommands());
        incidentApi.serve(new IncidentApi(running::get, self, catalog.incidents().name(),
                config.api().writeToken(), readToken, commandPublisher, registry));
        healthApi.serve(new ServiceHealthApi(running::get, self, readToken));
        escalationsApi.serve(new EscalationsApi(running::get, self, catalog.incidents().name(), runbooks.escalation(),
                readToken));
        inboxApi.serve(new InboxApi(running::get, self, catalog.incidentEvents().name(), readToken));
        OpenIncidentsGauge.register(registry, running::get, catalog.incidents().name());
        rocksDbMemory = SharedRocksDbMemory.create(config.streams().rocksdb());
        Properties properties = streamsProperties(catalog, self);
        streams = new KafkaStreams(topologyExtension.apply(RunstreamTopology.build(catalog, rules, runbooks, registry,
                properties)), properties);
        uncaughtExceptions = new UncaughtExceptionPolicy(config.streams(), Clock.systemUTC(), registry);
        streams.setUncaughtExceptionHandler(uncaughtExceptions);
        RocksDbMemoryMetrics.bind(registry, rocksDbMemory, running::get);
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        running.set(streams);
        shutdownGuard = new UncleanShutdownGuard(Path.of(properties.getProperty(StreamsConfig.STATE_DIR_CONFIG)),
                config.streams().applicationId(), config.streams().processingGuarantee(), registry);
        shutdownGuard.beforeStart(streams);
        streams.start();
    }

    private String advertisedHost() {
        return config.streams().advertisedHost().isEmpty() ? config.http().host() : config.streams().advertisedHost();
    }

    /**
     * Null while the instance runs or may still recover (created, rebalancing, replacing a thread); the reason once
     * it is in ERROR, or stopped without being closed: only a restart brings it back.
     */
    private String deadStreams(KafkaStreams current) {
        if (current == null || closing) {
            return null;
        }
        KafkaStreams.State state = current.state();
        boolean dead = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN;
        if (!dead) {
            return null;
        }
        String cause = uncaughtExceptions == null ? null : uncaughtExceptions.lastFailure();
        return "streams state " + state + (cause == null ? "" : " after uncaught exception: " + cause);
    }

    public KafkaStreams streams() {
        return streams;
    }

    private Properties streamsProperties(TopicCatalog catalog, HostInfo self) {
        Properties props = config.kafka().clientProperties();
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        RunstreamTopology.applySettings(props);
        DeadLetterConfig.apply(props, catalog.deadLetters().name(), registry);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.streams().applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.streams().processingGuarantee());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(config.streams().commitInterval().toMillis()));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(config.streams().numStandbyReplicas()));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(config.kafka().replicationFactor()));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class.getName());
        props.put(BoundedMemoryRocksDbConfig.MEMORY_ID_CONFIG, rocksDbMemory.id());
        return props;
    }

    private Path stateDir() {
        if (!config.streams().stateDir().isBlank()) {
            return Path.of(config.streams().stateDir());
        }
        try {
            temporaryStateDir = Files.createTempDirectory("runstream-streams-");
            return temporaryStateDir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot create a state directory; set streams.stateDir", e);
        }
    }

    @Override
    public Map<String, URI> endpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        endpoints.put("processor health", http.uri().resolve("/health/ready"));
        endpoints.put("incident API", http.uri().resolve(IncidentApi.INCIDENTS_PATH));
        endpoints.put("dashboard", http.uri().resolve(DashboardPage.PATH));
        endpoints.put("local inbox", http.uri().resolve(InboxApi.PATH));
        endpoints.put("processor metrics", http.uri().resolve("/metrics"));
        return endpoints;
    }

    @Override
    public synchronized void close() {
        closing = true;
        if (http != null) {
            http.close();
            http = null;
        }
        if (commandPublisher != null) {
            commandPublisher.close();
            commandPublisher = null;
        }
        boolean storesClosed = true;
        if (streams != null) {
            storesClosed = streams.close(Duration.ofSeconds(30));
            if (storesClosed && shutdownGuard != null && uncaughtExceptions.lastFailure() == null) {
                shutdownGuard.cleanlyStopped();
            }
            streamsMetrics.close();
            streams = null;
        }
        if (rocksDbMemory != null) {
            if (storesClosed) {
                rocksDbMemory.close();
            } else {
                // a store still open uses the cache natively: freeing it under the store could crash the JVM
                log.warn("Kafka Streams did not close within 30s; the shared RocksDB cache is left to the process");
            }
            rocksDbMemory = null;
        }
        if (temporaryStateDir != null) {
            deleteRecursively(temporaryStateDir);
            temporaryStateDir = null;
        }
    }

    private static void deleteRecursively(Path root) {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            // Only a temporary directory; the OS cleans it up eventually.
        }
    }
}
