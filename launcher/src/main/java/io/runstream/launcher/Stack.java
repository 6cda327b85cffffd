package io.runstream.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runstream.common.config.ConfigLoader;
import io.runstream.common.service.RunstreamService;
import io.runstream.ingest.IngestConnector;
import io.runstream.ingest.IngestConnectorConfig;
import io.runstream.kafka.EmbeddedKafkaBroker;
import io.runstream.processor.StreamProcessor;
import io.runstream.processor.StreamProcessorConfig;
import io.runstream.workers.ActionWorkers;
import io.runstream.workers.ActionWorkersConfig;

/**
 * The running pipeline: an optional embedded broker and the three services, started in dependency order
 * and stopped in reverse. Each service reads its own configuration exactly as it would alone; the stack
 * only points them at its broker.
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
            Map<String, String> env = serviceEnvironment(options, environment, broker);
            ConfigLoader loader = new ConfigLoader();
            stack.startService(new IngestConnector(
                    loader.load(IngestConnectorConfig.class, IngestConnectorConfig.DEFAULTS, null, env)));
            StreamProcessorConfig processor = loader.load(StreamProcessorConfig.class, StreamProcessorConfig.DEFAULTS,
                    null, env);
            stack.startService(new StreamProcessor(processor));
            ActionWorkersConfig workers = loader.load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS, null, env);
            if (options.kubeconfig() != null) {
                // fabric8 reads the kubeconfig from this property (else KUBECONFIG, else ~/.kube/config)
                System.setProperty("kubeconfig", options.kubeconfig().toAbsolutePath().toString());
            }
            stack.startService(new ActionWorkers(workers, NoClusterExecutors.forStack(workers.kubernetes().enabled(),
                    workers.alertmanager().enabled())));
            stack.workersMode = describe(workers, options);
            stack.unreachable = EscalationLint.check(processor.runbooks(), workers.notifications());
            stack.inbox = Boolean.parseBoolean(env.get(INBOX_ENABLED));
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

    private static Map<String, String> serviceEnvironment(StackOptions options, Map<String, String> environment,
            EmbeddedKafkaBroker broker) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS", broker != null ? broker.bootstrapServers() : options.bootstrapServers());
        if (options.ephemeralPorts()) {
            env.put("RUNSTREAM_HTTP_PORT", "0");
        }
        // A newcomer's stack has no PagerDuty or Slack: its pages land in the workers' local inbox instead of nowhere.
        env.putIfAbsent(INBOX_ENABLED, "true");
        if (options.writeToken() != null) {
            env.put(WriteToken.ENV, options.writeToken());
        }
        if (options.runbooksFile() != null) {
            env.put("RUNSTREAM_RUNBOOKS_FILE", options.runbooksFile().toString());
        }
        if (options.kubeconfig() != null) {
            env.put("RUNSTREAM_KUBERNETES_ENABLED", "true");
            env.put("RUNSTREAM_KUBERNETES_WATCH_DEPLOYMENTS", "true");
            env.put("RUNSTREAM_MODE", options.enforce() ? "enforce" : "dry-run");
        }
        return env;
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
        return mode + " against " + cluster + (workers.mode() == io.runstream.workers.RemediationMode.ENFORCE
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
