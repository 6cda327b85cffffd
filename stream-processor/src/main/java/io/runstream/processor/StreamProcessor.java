package io.runstream.processor;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

/**
 * The Kafka Streams applications (detection and the incident stages, or both in one: {@code streams.topology}),
 * and the HTTP server that serves their state.
 */
public final class StreamProcessor implements RunstreamService {

    public static final String NAME = "stream-processor";
    private static final Logger log = LoggerFactory.getLogger(StreamProcessor.class);

    private final StreamProcessorConfig config;
    private final PrometheusMeterRegistry registry = Metrics.newRegistry(NAME);
    /** The applications, in start order: detection and incidents when split, one when single. */
    private final List<StreamsInstance> instances = new CopyOnWriteArrayList<>();
    private volatile StreamsInstance incidents;
    private volatile StreamsInstance detection;
    private ServiceHttpServer http;
    private CommandPublisher commandPublisher;
    private Path temporaryStateDir;
    private SharedRocksDbMemory rocksDbMemory;
    private volatile boolean closing;
    private UnaryOperator<Topology> topologyExtension = UnaryOperator.identity();

    public StreamProcessor(StreamProcessorConfig config) {
        this.config = config;
    }

    /**
     * Test seam: adds nodes to the incident stages' built topology (the one topology when single), e.g. a processor
     * that fails, before the instance starts.
     */
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
        Supplier<KafkaStreams> incidentsStreams = () -> streamsOf(incidents);
        Supplier<KafkaStreams> detectionStreams = () -> streamsOf(detection);
        PendingHandler incidentApi = new PendingHandler();
        PendingHandler healthApi = new PendingHandler();
        PendingHandler escalationsApi = new PendingHandler();
        PendingHandler inboxApi = new PendingHandler();
        AccessToken readToken = AccessToken.of(config.api().readToken());
        ReadTokenGate gatedIncidentApi = ReadTokenGate.api(readToken, incidentApi);
        http = ServiceHttpServer.builder(NAME, config.http(), registry)
                .readiness(ServiceHttpServer.ReadinessCheck.of("streams", this::notRunning))
                .liveness(ServiceHttpServer.ReadinessCheck.of("streams", this::deadStreams))
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
        // Each API queries the application that holds its stores: the service health stores are detection's.
        incidentApi.serve(new IncidentApi(incidentsStreams, self, catalog.incidents().name(),
                config.api().writeToken(), readToken, commandPublisher, registry));
        healthApi.serve(new ServiceHealthApi(detectionStreams, self, readToken));
        escalationsApi.serve(new EscalationsApi(incidentsStreams, self, catalog.incidents().name(),
                runbooks.escalation(), readToken));
        inboxApi.serve(new InboxApi(incidentsStreams, self, catalog.incidentEvents().name(), readToken));
        OpenIncidentsGauge.register(registry, incidentsStreams, catalog.incidents().name());
        rocksDbMemory = SharedRocksDbMemory.create(config.streams().rocksdb());
        RocksDbMemoryMetrics.bind(registry, rocksDbMemory,
                () -> instances.stream().map(StreamsInstance::streams).toList());
        createApplications(catalog, rules, runbooks, self);
        instances.forEach(StreamsInstance::start);
    }

    /** Detection and the incident stages as two applications (split), or one (single); not started yet. */
    private void createApplications(TopicCatalog catalog, RulesFile rules, Runbooks runbooks, HostInfo self) {
        StreamsSettings settings = config.streams();
        Path stateDir = stateDir();
        if (settings.split()) {
            // Two applications by volume, joined by the alerts and service-impact topics (docs/architecture.md).
            Properties detectionProperties = streamsProperties(catalog, self, stateDir,
                    settings.detectionApplicationId(), settings.detection());
            detection = new StreamsInstance("detection", RunstreamTopology.buildDetection(catalog, rules, registry,
                    detectionProperties), detectionProperties, settings, registry);
            Properties incidentsProperties = streamsProperties(catalog, self, stateDir,
                    settings.incidentsApplicationId(), settings.incidents());
            incidents = new StreamsInstance("incidents", topologyExtension.apply(RunstreamTopology.buildIncidents(
                    catalog, rules, runbooks, registry, incidentsProperties)), incidentsProperties, settings, registry);
            instances.add(detection);
            instances.add(incidents);
        } else {
            Properties properties = streamsProperties(catalog, self, stateDir, settings.incidentsApplicationId(),
                    new ApplicationSettings(settings.commitInterval(), 1));
            incidents = new StreamsInstance("streams", topologyExtension.apply(RunstreamTopology.build(catalog, rules,
                    runbooks, registry, properties)), properties, settings, registry);
            detection = incidents;
            instances.add(incidents);
        }
        log.info("Kafka Streams topology {}: {}", settings.topology(), settings.split()
                ? "detection as " + settings.detectionApplicationId() + " (commit every "
                        + settings.detection().commitInterval().toMillis() + " ms), incident stages as "
                        + settings.incidentsApplicationId() + " (commit every "
                        + settings.incidents().commitInterval().toMillis() + " ms)"
                : "one application " + settings.incidentsApplicationId() + " (commit every "
                        + settings.commitInterval().toMillis() + " ms)");
    }

    private static KafkaStreams streamsOf(StreamsInstance instance) {
        return instance == null ? null : instance.streams();
    }

    private String advertisedHost() {
        return config.streams().advertisedHost().isEmpty() ? config.http().host() : config.streams().advertisedHost();
    }

    /** Null once every application is RUNNING; else which is not. */
    private String notRunning() {
        if (instances.isEmpty()) {
            return "streams state NOT_STARTED";
        }
        return joined(instances.stream().map(StreamsInstance::notRunning));
    }

    /**
     * Null while every application runs or may still recover; the reasons of those in ERROR, or stopped without
     * being closed: only a restart brings them back.
     */
    private String deadStreams() {
        return closing ? null : joined(instances.stream().map(StreamsInstance::dead));
    }

    private static String joined(java.util.stream.Stream<String> reasons) {
        List<String> found = reasons.filter(java.util.Objects::nonNull).toList();
        return found.isEmpty() ? null : String.join("; ", found);
    }

    /** The incident stages' Kafka Streams (in single mode, the one application): the incident API's stores. */
    public KafkaStreams streams() {
        return streamsOf(incidents);
    }

    /** Detection's Kafka Streams (in single mode, the same as {@link #streams()}): the service health stores. */
    public KafkaStreams detectionStreams() {
        return streamsOf(detection);
    }

    /** Whether every Kafka Streams application of this instance is RUNNING: what /health/ready reports. */
    public boolean running() {
        return !instances.isEmpty() && notRunning() == null;
    }

    private Properties streamsProperties(TopicCatalog catalog, HostInfo self, Path stateDir, String applicationId,
            ApplicationSettings application) {
        Properties props = config.kafka().clientProperties();
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        RunstreamTopology.applySettings(props);
        DeadLetterConfig.apply(props, catalog.deadLetters().name(), registry);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.streams().processingGuarantee());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(application.commitInterval().toMillis()));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(application.threads()));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(config.streams().numStandbyReplicas()));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(config.kafka().replicationFactor()));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
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
        // In reverse start order; each closes on its own, one slow to close does not keep the other open.
        for (int i = instances.size() - 1; i >= 0; i--) {
            storesClosed &= instances.get(i).close(Duration.ofSeconds(30));
        }
        instances.clear();
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
