package io.runstream.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runstream.common.config.ConfigLoader;
import io.runstream.common.service.RunstreamService;
import io.runstream.common.service.ServiceConfig;
import io.runstream.ingest.IngestConnector;
import io.runstream.ingest.IngestConnectorConfig;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.processor.StreamProcessor;
import io.runstream.processor.StreamProcessorConfig;
import io.runstream.workers.ActionWorkers;
import io.runstream.workers.ActionWorkersConfig;
import io.runstream.workers.RemediationMode;
import io.runstream.workers.notify.NotifySettings;

/**
 * The running pipeline: an optional embedded broker and the three services, started in dependency order
 * and stopped in reverse. Each service reads its own configuration exactly as it would alone; the stack then
 * sets on the typed configuration records what it owns (its broker, ports, the options of {@code runstream run}).
 */
final class Stack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Stack.class);
    /** The workers' local inbox (notifications.inbox.enabled): on in this stack unless the environment says no. */
    static final String INBOX_ENABLED = "RUNSTREAM_NOTIFICATIONS_INBOX_ENABLED";

    private final EmbeddedKafkaBroker broker;
    private final List<RunstreamService> services = new ArrayList<>();
    private String workersMode = "";
    private List<EscalationLint.Finding> unreachable = List.of();
    private boolean inbox;
    private io.runstream.common.kafka.KafkaSettings kafka;

    private Stack(EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    static Stack start(StackOptions options, Map<String, String> environment) {
        EmbeddedKafkaBroker broker = options.embeddedBroker() ? startBroker(options) : null;
        Stack stack = new Stack(broker);
        try {
            String bootstrapServers = broker != null ? broker.bootstrapServers() : options.bootstrapServers();
            ConfigLoader loader = new ConfigLoader();
            stack.startService(new IngestConnector(ingestConfig(loader, environment, options, bootstrapServers)));
            StreamProcessorConfig processor = processorConfig(loader, environment, options, bootstrapServers);
            stack.startService(new StreamProcessor(processor));
            ActionWorkersConfig workers = workersConfig(loader, environment, options, bootstrapServers);
            if (options.kubeconfig() != null) {
                // fabric8 reads the kubeconfig from this property (else KUBECONFIG, else ~/.kube/config)
                System.setProperty("kubeconfig", options.kubeconfig().toAbsolutePath().toString());
            }
            stack.startService(new ActionWorkers(workers, NoClusterExecutors.forStack(workers.kubernetes().enabled(),
                    workers.alertmanager().enabled())));
            stack.workersMode = describe(workers, options);
            stack.unreachable = EscalationLint.check(processor.runbooks(), workers.notifications());
            stack.inbox = workers.notifications().inbox().enabled();
            stack.kafka = workers.kafka();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private static EmbeddedKafkaBroker startBroker(StackOptions options) {
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().port(options.kafkaPort());
        if (options.kafkaDataDir() != null) {
            builder.dataDirectory(options.kafkaDataDir());
        }
        return builder.build().start();
    }

    /*
     * Each service's configuration is read as it would be alone (its defaults, then the environment); the stack then
     * sets, on the typed record, what the stack owns: its broker, ephemeral ports, and for the processor and the
     * workers the options of `runstream run`.
     */

    static IngestConnectorConfig ingestConfig(ConfigLoader loader, Map<String, String> environment,
            StackOptions options, String bootstrapServers) {
        return load(loader, IngestConnectorConfig.class, IngestConnectorConfig.DEFAULTS, environment, options,
                bootstrapServers);
    }

    static StreamProcessorConfig processorConfig(ConfigLoader loader, Map<String, String> environment,
            StackOptions options, String bootstrapServers) {
        StreamProcessorConfig config = load(loader, StreamProcessorConfig.class, StreamProcessorConfig.DEFAULTS,
                environment, options, bootstrapServers);
        if (options.writeToken() != null) {
            config = config.withApi(config.api().withWriteToken(options.writeToken()));
        }
        return options.runbooksFile() == null ? config : config.withRunbooksFile(options.runbooksFile().toString());
    }

    static ActionWorkersConfig workersConfig(ConfigLoader loader, Map<String, String> environment,
            StackOptions options, String bootstrapServers) {
        ActionWorkersConfig config = load(loader, ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                environment, options, bootstrapServers);
        // A newcomer's stack has no PagerDuty or Slack: its pages land in the workers' local inbox instead of nowhere.
        if (!environment.containsKey(INBOX_ENABLED)) {
            config = config.withNotifications(config.notifications().withInbox(new NotifySettings.Inbox(true)));
        }
        if (options.kubeconfig() == null) {
            return config;
        }
        return config.withKubernetes(config.kubernetes().withEnabled(true, true))
                .withMode(options.enforce() ? RemediationMode.ENFORCE : RemediationMode.DRY_RUN);
    }

    /** A service's configuration as it reads it alone, on the stack's broker and, if asked, ports of the system's. */
    private static <C extends ServiceConfig<C>> C load(ConfigLoader loader, Class<C> type, String defaults,
            Map<String, String> environment, StackOptions options, String bootstrapServers) {
        C config = loader.load(type, defaults, null, environment);
        config = config.withKafka(config.kafka().withBootstrapServers(bootstrapServers));
        return options.ephemeralPorts() ? config.withHttp(config.http().withPort(0)) : config;
    }

    /** One line on what the workers will do to a cluster, so nobody has to guess. */
    private static String describe(ActionWorkersConfig workers, StackOptions options) {
        String mode = workers.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if (!workers.kubernetes().enabled()) {
            return mode + ", no cluster: Kubernetes actions answer DRY_RUN without reading or changing anything "
                    + "(--kubeconfig PATH to use a cluster)";
        }
        String cluster = options.kubeconfig() != null ? "the cluster of " + options.kubeconfig()
                : "the cluster of the in-cluster service account or ~/.kube/config";
        return mode + " against " + cluster + (workers.mode() == RemediationMode.ENFORCE
                ? ": remediations CHANGE the cluster" : " (--enforce to make changes)");
    }

    private void startService(RunstreamService service) {
        long started = System.nanoTime();
        service.start();
        services.add(service);
        log.info("{} started in {} ms", service.name(), (System.nanoTime() - started) / 1_000_000);
    }

    void printEndpoints(PrintStream out) {
        if (broker != null) {
            out.printf("%-24s %s (embedded, data in %s)%n", "kafka", broker.bootstrapServers(), broker.dataDirectory());
        }
        for (RunstreamService service : services) {
            service.endpoints().forEach((label, uri) -> {
                out.printf("%-24s %s%n", label, uri);
                if (label.equals("prometheus remote_write")) {
                    out.printf("%-24s %s%n", "drift reports", uri.resolve("/api/v1/drift"));
                }
            });
        }
        if (!workersMode.isEmpty()) {
            out.printf("%-24s %s%n", "action workers", workersMode);
            printUnreachable(out);
        }
    }

    /** The escalation lint, short: which channels reach no one, and where their notices go instead. */
    private void printUnreachable(PrintStream out) {
        if (unreachable.isEmpty()) {
            out.printf("%-24s %s%n", "notifications", "every channel the escalation policy and runbooks use is "
                    + "configured");
            return;
        }
        long channels = unreachable.stream().map(f -> f.use().action() + " " + f.use().channel()).distinct().count();
        out.printf("%-24s %d channel(s) the escalation policy and runbooks use have no configuration: %s%n",
                "notifications", channels, inbox ? "their notices go to the local inbox (the dashboard's Inbox, "
                        + "runstream tail --inbox)" : "the workers answer them channel_not_configured");
        EscalationLint.summary(unreachable).forEach(out::println);
        out.printf("%-24s %s%n", "", "(runstream validate --runbooks FILE --workers-config FILE names each step)");
    }

    /** A printed endpoint by its label, e.g. "incident API". */
    java.net.URI endpoint(String label) {
        return services.stream().map(s -> s.endpoints().get(label)).filter(java.util.Objects::nonNull).findFirst()
                .orElseThrow(() -> new IllegalStateException("no endpoint '" + label + "' in this stack"));
    }

    /** The Kafka the services use (its servers, client settings and topic prefix). */
    io.runstream.common.kafka.KafkaSettings kafka() {
        return kafka;
    }

    List<RunstreamService> services() {
        return List.copyOf(services);
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            RunstreamService service = services.get(i);
            try {
                service.close();
            } catch (RuntimeException e) {
                log.warn("{} did not stop cleanly", service.name(), e);
            }
        }
        services.clear();
        if (broker != null) {
            broker.close();
        }
    }
}
