package io.runstream.workers;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runstream.common.http.ServiceHttpServer;
import io.runstream.common.kafka.KafkaReachability;
import io.runstream.common.kafka.Topics;
import io.runstream.common.service.Metrics;
import io.runstream.common.service.RunstreamService;
import io.runstream.schemas.TopicCatalog;
import io.runstream.workers.alertmanager.AlertmanagerApi;
import io.runstream.workers.alertmanager.ExpireSilenceExecutor;
import io.runstream.workers.alertmanager.SilenceExecutor;
import io.runstream.workers.http.HttpCalls;
import io.runstream.workers.http.HttpRequestExecutor;
import io.runstream.workers.kubernetes.KubernetesCalls;
import io.runstream.workers.kubernetes.KubernetesExecutors;
import io.runstream.workers.kubernetes.RolloutVerifier;
import io.runstream.workers.notify.NotificationExecutor;
import io.runstream.workers.watch.DeploymentEventPublisher;
import io.runstream.workers.watch.DeploymentWatcher;
import io.runstream.workers.watch.LeaderElectedWatcher;

/** The services that carry out action commands and report their results. */
public final class ActionWorkers implements RunstreamService {

    public static final String NAME = "action-workers";

    private final ActionWorkersConfig config;
    private final List<ActionExecutor> fallbackExecutors;
    private final PrometheusMeterRegistry registry = Metrics.newRegistry(NAME);
    private Admin admin;
    private ServiceHttpServer http;
    private KubernetesClient kubernetes;
    private CommandLoop loop;
    private LeaderElectedWatcher watcher;
    private DeploymentEventPublisher deploymentEvents;
    private Thread loopThread;

    public ActionWorkers(ActionWorkersConfig config) {
        this(config, List.of());
    }

    /**
     * @param fallbackExecutors executors for the action types that no configured system handles, e.g. the
     *                          launcher's dry run without a cluster; a configured system's executor always wins
     */
    public ActionWorkers(ActionWorkersConfig config, List<ActionExecutor> fallbackExecutors) {
        this.config = config;
        this.fallbackExecutors = List.copyOf(fallbackExecutors);
    }

    public static void main(String[] args) {
        io.runstream.common.service.ServiceMain.run(args, ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS,
                ActionWorkers::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start() {
        TopicCatalog catalog = Topics.start(config.kafka(), config.schemas());
        admin = Admin.create(config.kafka().clientProperties());
        KafkaReachability kafka = new KafkaReachability(admin, Duration.ofSeconds(5));
        List<ActionExecutor> executors = executors();
        Verifier verifier = kubernetes == null ? Verifier.NONE
                : new RolloutVerifier(kubernetes, Clock.systemUTC(), config.kubernetes().rolloutPollInterval(),
                        config.kubernetes().rolloutTimeout(), registry);
        loop = new CommandLoop(config.kafka().clientProperties(), config.kafka().topicPrefix() + NAME,
                catalog.actionCommands(), catalog.actionResults(), catalog.deadLetters(),
                done -> new CommandHandler(executors, config.mode(), config.safety(), done, Clock.systemUTC(),
                        config.workerId(), registry), verifier,
                config.safety().resultsLookback(RolloutVerifier.LONGEST_VERIFICATION), Clock.systemUTC());
        loopThread = new Thread(loop, NAME + "-commands");
        loopThread.start();
        var server = ServiceHttpServer.builder(NAME, config.http(), registry)
                .readiness(ServiceHttpServer.ReadinessCheck.of("kafka", kafka::problem))
                .readiness(ServiceHttpServer.ReadinessCheck.of("commands", loop::problem))
                .liveness(ServiceHttpServer.ReadinessCheck.of("command-loop", loop::stoppedProblem));
        if (config.kubernetes().watchDeployments()) {
            deploymentEvents = new DeploymentEventPublisher(config.kafka().clientProperties(),
                    catalog.deploymentEvents());
            DeploymentEventPublisher sink = deploymentEvents;
            watcher = new LeaderElectedWatcher(kubernetes, config.kubernetes().leaderElection(), electionIdentity(),
                    () -> new DeploymentWatcher(kubernetes, config.kubernetes().watchNamespaces(), sink,
                            Clock.systemUTC())).start();
            server.readiness(ServiceHttpServer.ReadinessCheck.of("deployment-watcher", watcher::problem));
            server.liveness(ServiceHttpServer.ReadinessCheck.of("deployment-watcher", watcher::stoppedProblem));
        }
        http = server.build().start();
    }

    /** The pod's name (HOSTNAME in Kubernetes) and a random suffix: unique even where workerId is shared. */
    private String electionIdentity() {
        String host = System.getenv().getOrDefault("HOSTNAME", config.workerId());
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private List<ActionExecutor> executors() {
        List<ActionExecutor> executors = new ArrayList<>();
        if (config.kubernetes().enabled()) {
            // the client's own retries know nothing of a command's expiry; KubernetesCalls retries instead
            Config clientConfig = new ConfigBuilder(Config.autoConfigure(null)).withRequestRetryBackoffLimit(0)
                    .build();
            kubernetes = new KubernetesClientBuilder().withConfig(clientConfig).build();
            executors.addAll(KubernetesExecutors.all(new KubernetesCalls(kubernetes, Clock.systemUTC(),
                    config.retry(), config.kubernetes().rolloutTimeout()), config.safety()));
        }
        HttpCalls http = HttpCalls.create(Clock.systemUTC(), config.retry(), config.notifications().requestTimeout());
        if (config.alertmanager().enabled()) {
            AlertmanagerApi api = new AlertmanagerApi(URI.create(config.alertmanager().url()), http);
            executors.add(new SilenceExecutor(api));
            executors.add(new ExpireSilenceExecutor(api));
        }
        executors.addAll(NotificationExecutor.all(config.notifications(), http, registry));
        executors.add(new HttpRequestExecutor(config.httpActions(), HttpCalls.create(Clock.systemUTC(),
                config.retry(), config.httpActions().requestTimeout())));
        for (ActionExecutor fallback : fallbackExecutors) {
            if (executors.stream().noneMatch(e -> e.type() == fallback.type())) {
                executors.add(fallback);
            }
        }
        return executors;
    }

    @Override
    public Map<String, URI> endpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        endpoints.put("workers health", http.uri().resolve("/health/ready"));
        endpoints.put("workers metrics", http.uri().resolve("/metrics"));
        return endpoints;
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
            http = null;
        }
        if (loop != null) {
            loop.stop();
            try {
                loopThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loop = null;
        }
        if (watcher != null) {
            watcher.close();
            deploymentEvents.close();
            watcher = null;
        }
        if (kubernetes != null) {
            kubernetes.close();
            kubernetes = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
