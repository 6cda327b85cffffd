package io.runstream.workers.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.runstream.avro.DeploymentEvent;
import io.runstream.workers.ActionWorkersConfig.LeaderElectionSettings;
import io.runstream.workers.Commands;

/**
 * Two worker replicas against the CRUD mock: one holds the Lease and publishes each rollout, the other stands by;
 * when the leader stops, the other takes the Lease and publishes the next rollout, and no rollout comes twice.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectedWatcherTest {

    private static final LeaderElectionSettings FAST = new LeaderElectionSettings("runstream-deployment-watcher",
            "runstream", Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200));

    KubernetesClient client;
    private final List<DeploymentEvent> published = new CopyOnWriteArrayList<>();
    private LeaderElectedWatcher first;
    private LeaderElectedWatcher second;

    @AfterEach
    void stopBoth() {
        Stream.of(first, second).filter(w -> w != null).forEach(LeaderElectedWatcher::close);
    }

    @Test
    void oneReplicaPublishesEachRolloutOnceAndTheOtherTakesOverWhenItStops() {
        // given: the gateway at revision 4 and two worker replicas in the election
        client.resource(atRevision(Commands.deployment("prod", "gateway", 3), 4, "1.8.0")).create();
        first = replica("action-workers-0");
        second = replica("action-workers-1");
        await().atMost(Duration.ofSeconds(20)).until(() -> first.isLeading() || second.isLeading());
        LeaderElectedWatcher leader = first.isLeading() ? first : second;
        LeaderElectedWatcher standby = leader == first ? second : first;
        assertThat(standby.isLeading()).isFalse();
        assertThat(standby.problem()).isNull();

        // when: a rollout
        rollOut(5, "1.9.0");

        // then: published once, by the leader alone
        await().atMost(Duration.ofSeconds(10)).until(() -> revisions().contains(5L));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> revisions().equals(List.of(5L)));

        // when: the leader stops, the standby takes the Lease, and the next rollout comes
        leader.close();
        await().atMost(Duration.ofSeconds(20)).until(standby::isLeading);
        rollOut(6, "1.9.1");

        // then: the new leader publishes it, once
        await().atMost(Duration.ofSeconds(10)).until(() -> revisions().contains(6L));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> revisions().equals(List.of(5L, 6L)));
        assertThat(standby.leader()).startsWith(leader == first ? "action-workers-1" : "action-workers-0");
    }

    private LeaderElectedWatcher replica(String identity) {
        return new LeaderElectedWatcher(client, FAST, identity, () -> new DeploymentWatcher(client, List.of("prod"),
                (key, event) -> published.add(event), Clock.systemUTC())).start();
    }

    private List<Long> revisions() {
        return published.stream().map(DeploymentEvent::getRevision).toList();
    }

    private void rollOut(long revision, String version) {
        client.apps().deployments().inNamespace("prod").withName("gateway").edit(d -> atRevision(d, revision, version));
    }

    private static Deployment atRevision(Deployment deployment, long revision, String version) {
        return new DeploymentBuilder(deployment).editMetadata().addToLabels("app", deployment.getMetadata().getName())
                .addToAnnotations(RolloutDetector.REVISION, Long.toString(revision)).endMetadata().editSpec()
                .editTemplate().editSpec().editFirstContainer().withImage("registry.example/gateway:" + version)
                .endContainer().endSpec().endTemplate().endSpec().build();
    }
}
