package io.runstream.workers;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.common.service.ServiceConfig;
import io.runstream.workers.http.HttpActionSettings;
import io.runstream.workers.notify.NotifySettings;
import io.runstream.schemas.registry.SchemaSettings;

/**
 * Everything the action workers are configured with; defaults in {@code action-workers-defaults.yaml}.
 *
 * @param kafka the broker and topic settings
 * @param http the health/metrics server
 * @param mode off, dry-run or enforce: the global switch over every change
 * @param workerId the name this worker writes into each result
 * @param safety namespace lists, replica caps and rate limits
 * @param kubernetes whether the Kubernetes executors run (off for a stack without a cluster)
 * @param retry how 409s, 429s, 5xx and timeouts of target systems are retried, always within a command's expiry
 * @param alertmanager where SILENCE and EXPIRE_SILENCE go
 * @param notifications the Slack, PagerDuty, webhook and ticket endpoints of NOTIFY, PAGE and TICKET, and the
 *        local inbox for channels without one
 * @param httpActions the hosts HTTP_REQUEST may call, the bearer tokens it may send, its timeouts and body limit
 */
public record ActionWorkersConfig(KafkaSettings kafka, HttpSettings http, RemediationMode mode, String workerId,
        SafetyPolicy safety, KubernetesSettings kubernetes, RetryPolicy retry, AlertmanagerSettings alertmanager,
        NotifySettings notifications, HttpActionSettings httpActions, SchemaSettings schemas)
        implements ServiceConfig<ActionWorkersConfig> {

    public static final String DEFAULTS = "action-workers-defaults.yaml";

    public ActionWorkersConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(safety, "safety");
        Objects.requireNonNull(kubernetes, "kubernetes");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(alertmanager, "alertmanager");
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(httpActions, "httpActions");
        if (workerId == null || workerId.isBlank()) {
            throw new IllegalArgumentException("workerId must not be blank");
        }
        schemas = schemas == null ? SchemaSettings.DEFAULTS : schemas;
    }

    /** In the default wire format, single-object encoding. */
    public ActionWorkersConfig(KafkaSettings kafka, HttpSettings http, RemediationMode mode, String workerId,
            SafetyPolicy safety, KubernetesSettings kubernetes, RetryPolicy retry, AlertmanagerSettings alertmanager,
            NotifySettings notifications, HttpActionSettings httpActions) {
        this(kafka, http, mode, workerId, safety, kubernetes, retry, alertmanager, notifications, httpActions,
                SchemaSettings.DEFAULTS);
    }

    @Override
    public ActionWorkersConfig withKafka(KafkaSettings newKafka) {
        return new ActionWorkersConfig(newKafka, http, mode, workerId, safety, kubernetes, retry, alertmanager,
                notifications, httpActions, schemas);
    }

    @Override
    public ActionWorkersConfig withHttp(HttpSettings newHttp) {
        return new ActionWorkersConfig(kafka, newHttp, mode, workerId, safety, kubernetes, retry, alertmanager,
                notifications, httpActions, schemas);
    }

    public ActionWorkersConfig withMode(RemediationMode newMode) {
        return new ActionWorkersConfig(kafka, http, newMode, workerId, safety, kubernetes, retry, alertmanager,
                notifications, httpActions, schemas);
    }

    public ActionWorkersConfig withKubernetes(KubernetesSettings newKubernetes) {
        return new ActionWorkersConfig(kafka, http, mode, workerId, safety, newKubernetes, retry, alertmanager,
                notifications, httpActions, schemas);
    }

    public ActionWorkersConfig withNotifications(NotifySettings newNotifications) {
        return new ActionWorkersConfig(kafka, http, mode, workerId, safety, kubernetes, retry, alertmanager,
                newNotifications, httpActions, schemas);
    }

    /**
     * @param enabled whether to build a Kubernetes client (in-cluster service account or ~/.kube/config)
     * @param watchDeployments whether the Deployment watcher publishes rollouts to deployment-events
     * @param watchNamespaces the namespaces it watches; empty means all (needs a ClusterRole)
     * @param rolloutTimeout how long the rollout of a change may take before its result is FAILED
     *        {@code rollout_timeout}, for commands without their own {@code rolloutTimeout} parameter
     * @param rolloutPollInterval how often the rollout of an APPLIED change is read while it is verified
     * @param leaderElection the Lease through which one replica at a time runs the Deployment watcher
     */
    public record KubernetesSettings(boolean enabled, boolean watchDeployments, List<String> watchNamespaces,
            Duration rolloutTimeout, Duration rolloutPollInterval, LeaderElectionSettings leaderElection) {
        public KubernetesSettings {
            leaderElection = leaderElection == null ? LeaderElectionSettings.DEFAULTS : leaderElection;
            watchNamespaces = watchNamespaces == null ? List.of() : List.copyOf(watchNamespaces);
            rolloutTimeout = rolloutTimeout == null ? Duration.ofMinutes(5) : rolloutTimeout;
            rolloutPollInterval = rolloutPollInterval == null ? Duration.ofSeconds(2) : rolloutPollInterval;
            if (rolloutTimeout.isNegative() || rolloutTimeout.isZero()) {
                throw new IllegalArgumentException("kubernetes.rolloutTimeout must be positive, was " + rolloutTimeout);
            }
            if (rolloutPollInterval.toMillis() < 100 || rolloutPollInterval.compareTo(rolloutTimeout) > 0) {
                throw new IllegalArgumentException("kubernetes.rolloutPollInterval must be 100ms to rolloutTimeout ("
                        + rolloutTimeout + "), was " + rolloutPollInterval);
            }
            if (watchDeployments && !enabled) {
                throw new IllegalArgumentException("kubernetes.watchDeployments needs kubernetes.enabled: true");
            }
        }

        /** The Kubernetes executors on or off, and with them the Deployment watcher. */
        public KubernetesSettings withEnabled(boolean newEnabled, boolean newWatchDeployments) {
            return new KubernetesSettings(newEnabled, newWatchDeployments, watchNamespaces, rolloutTimeout,
                    rolloutPollInterval, leaderElection);
        }
    }

    /**
     * @param leaseName the Lease (coordination.k8s.io) the replicas compete for
     * @param leaseNamespace its namespace; empty: the workers' own (the service account's, else the kubeconfig's)
     * @param leaseDuration how long a leader's Lease holds without renewal: the longest gap after a leader dies
     * @param renewDeadline how long the leader keeps trying to renew before it stops watching
     * @param retryPeriod how often a standby tries to take the Lease, and the leader renews it
     */
    public record LeaderElectionSettings(String leaseName, String leaseNamespace, Duration leaseDuration,
            Duration renewDeadline, Duration retryPeriod) {
        public static final LeaderElectionSettings DEFAULTS = new LeaderElectionSettings(null, null, null, null,
                null);

        public LeaderElectionSettings {
            leaseName = leaseName == null || leaseName.isBlank() ? "runstream-deployment-watcher" : leaseName;
            leaseNamespace = leaseNamespace == null ? "" : leaseNamespace;
            leaseDuration = leaseDuration == null ? Duration.ofSeconds(15) : leaseDuration;
            renewDeadline = renewDeadline == null ? Duration.ofSeconds(10) : renewDeadline;
            retryPeriod = retryPeriod == null ? Duration.ofSeconds(2) : retryPeriod;
            if (retryPeriod.isNegative() || retryPeriod.isZero() || renewDeadline.compareTo(retryPeriod) <= 0
                    || leaseDuration.compareTo(renewDeadline) <= 0) {
                throw new IllegalArgumentException("kubernetes.leaderElection: leaseDuration > renewDeadline >"
                        + " retryPeriod > 0 expected, was " + leaseDuration + ", " + renewDeadline + ", "
                        + retryPeriod);
            }
        }
    }

    /**
     * @param url Alertmanager's base URL, e.g. http://alertmanager:9093; empty turns the silence executors off
     */
    public record AlertmanagerSettings(String url) {
        public boolean enabled() {
            return url != null && !url.isBlank();
        }
    }
}
