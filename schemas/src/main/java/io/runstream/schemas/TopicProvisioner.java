package io.runstream.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics that are missing and checks the ones that exist. Safe to run at every start of
 * every service: creating is idempotent, and an existing topic with the wrong cleanup policy stops the
 * start with a message naming the topic, instead of silently losing incident state to deletion.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** Returns the names of the topics it created. */
    public List<String> ensure(Collection<TopicSpec> specs) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<TopicSpec> missing = specs.stream().filter(s -> !existing.contains(s.name())).toList();
            List<TopicSpec> present = specs.stream().filter(s -> existing.contains(s.name())).toList();
            List<String> created = create(missing);
            verify(present);
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot provision Runstream topics: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeout
                    + " while provisioning topics; is bootstrap.servers right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while provisioning topics", e);
        }
    }

    private List<String> create(List<TopicSpec> missing) throws InterruptedException, TimeoutException {
        if (missing.isEmpty()) {
            return List.of();
        }
        List<NewTopic> newTopics = missing.stream()
                .map(s -> new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()))
                .toList();
        CreateTopicsResult result = admin.createTopics(newTopics);
        List<String> created = new ArrayList<>();
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> entry : result.values().entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(entry.getKey());
                log.info("Created topic {}", entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create topic " + entry.getKey() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                // Another instance created it between our list and our create: that is fine.
            }
        }
        // A topic created concurrently by someone else still has to pass the checks.
        verify(missing.stream().filter(s -> !created.contains(s.name())).toList());
        awaitLeaders(missing.stream().filter(s -> created.contains(s.name())).toList());
        return created;
    }

    /**
     * Returns once every partition of the new topics has a leader that accepts writes. Until then an idempotent
     * producer's first batch to a partition can be refused (NOT_LEADER_OR_FOLLOWER: the broker's metadata is ahead
     * of its replica manager for a moment) while its next batch is accepted as the producer's first; the retried
     * first batch is then out of sequence for good, and the producer loops on OUT_OF_ORDER_SEQUENCE_NUMBER until
     * its delivery timeout. Describing a partition's producers is answered only by its active leader, and writes
     * nothing.
     */
    private void awaitLeaders(List<TopicSpec> created) throws InterruptedException, TimeoutException {
        List<TopicPartition> partitions = created.stream()
                .flatMap(s -> java.util.stream.IntStream.range(0, s.partitions())
                        .mapToObj(p -> new TopicPartition(s.name(), p)))
                .toList();
        if (partitions.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                admin.describeProducers(partitions).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("The new topics' partitions have no leader accepting writes: "
                            + e.getCause(), e.getCause());
                }
                Thread.sleep(50);
            }
        }
    }

    private void verify(List<TopicSpec> present) throws InterruptedException, TimeoutException {
        if (present.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = present.stream()
                .map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList();
        Map<ConfigResource, Config> configs = null;
        Map<String, TopicDescription> descriptions = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (configs == null) {
            try {
                configs = admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                descriptions = admin.describeTopics(present.stream().map(TopicSpec::name).toList())
                        .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // A topic just created (by us on a retried request, or by another instance) may not have reached
                // the broker's metadata yet: ask again until the timeout rather than failing the start.
                configs = null;
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Cannot read the configuration of existing topics: "
                            + e.getCause(), e.getCause());
                }
                Thread.sleep(100);
            }
        }
        List<String> problems = new ArrayList<>();
        for (TopicSpec spec : present) {
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            String actualPolicy = config.get("cleanup.policy") == null ? "delete" : config.get("cleanup.policy").value();
            if (!policySatisfies(actualPolicy, spec.cleanupPolicy())) {
                problems.add("topic " + spec.name() + " has cleanup.policy=" + actualPolicy + " but needs "
                        + spec.cleanupPolicy());
            }
            int partitions = descriptions.get(spec.name()).partitions().size();
            if (partitions != spec.partitions()) {
                log.warn("Topic {} has {} partitions, configured {}; keeping the existing count",
                        spec.name(), partitions, spec.partitions());
            }
        }
        if (!problems.isEmpty()) {
            throw new TopicMisconfiguredException(problems);
        }
    }

    private static boolean policySatisfies(String actual, String required) {
        List<String> actualPolicies = List.of(actual.replace(" ", "").split(","));
        if (required.equals("compact")) {
            // compact,delete still keeps the latest value per key within retention; delete alone does not.
            return actualPolicies.contains("compact");
        }
        return actualPolicies.equals(List.of("delete"));
    }
}
