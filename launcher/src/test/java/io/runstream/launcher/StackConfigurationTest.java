package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.common.config.ConfigLoader;
import io.runstream.ingest.IngestConnectorConfig;
import io.runstream.processor.StreamProcessorConfig;
import io.runstream.workers.ActionWorkersConfig;
import io.runstream.workers.RemediationMode;

/**
 * What {@code runstream run} sets on each service's configuration (docs/cli.md, runstream run): its broker, ports
 * of the system's choosing, the write token, the runbooks file and the cluster; everything else is the service's
 * own configuration from its defaults and the environment, as when it runs alone.
 */
class StackConfigurationTest {

    private static final String BROKER = "127.0.0.1:39092";
    private static final String TOKEN = "a-write-token-of-32-characters!!";
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void everyServiceUsesTheStacksBrokerAndEphemeralPortsOverTheEnvironment() {
        Map<String, String> environment = Map.of("RUNSTREAM_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092",
                "RUNSTREAM_HTTP_PORT", "8089", "RUNSTREAM_KAFKA_TOPIC_PREFIX", "shop.");
        StackOptions options = new StackOptions(null, null, 0, true);

        IngestConnectorConfig ingest = Stack.ingestConfig(loader, environment, options, BROKER);
        StreamProcessorConfig processor = Stack.processorConfig(loader, environment, options, BROKER);
        ActionWorkersConfig workers = Stack.workersConfig(loader, environment, options, BROKER);

        assertThat(ingest.kafka().bootstrapServers()).isEqualTo(BROKER);
        assertThat(processor.kafka().bootstrapServers()).isEqualTo(BROKER);
        assertThat(workers.kafka().bootstrapServers()).isEqualTo(BROKER);
        assertThat(ingest.http().port()).isZero();
        assertThat(processor.http().port()).isZero();
        assertThat(workers.http().port()).isZero();
        // what the stack does not own stays the environment's
        assertThat(workers.kafka().topicPrefix()).isEqualTo("shop.");
    }

    @Test
    void fixedPortsStayTheServicesOwn() {
        Map<String, String> environment = Map.of("RUNSTREAM_HTTP_PORT", "8089");

        ActionWorkersConfig workers = Stack.workersConfig(loader, environment, new StackOptions(null, null, 0, false),
                BROKER);

        assertThat(workers.http().port()).isEqualTo(8089);
    }

    @Test
    void theWriteTokenAndRunbooksOfTheOptionsGoToTheProcessor() {
        StackOptions options = new StackOptions(null, null, 0, true, null, false, TOKEN, Path.of("runbooks.yaml"));

        StreamProcessorConfig processor = Stack.processorConfig(loader, Map.of(), options, BROKER);

        assertThat(processor.api().writeToken()).isEqualTo(TOKEN);
        assertThat(processor.runbooksFile()).isEqualTo("runbooks.yaml");
    }

    @Test
    void theLocalInboxIsOnUnlessTheEnvironmentSaysOtherwise() {
        StackOptions options = new StackOptions(null, null, 0, true);

        assertThat(Stack.workersConfig(loader, Map.of(), options, BROKER).notifications().inbox().enabled())
                .isTrue();
        assertThat(Stack.workersConfig(loader, Map.of(Stack.INBOX_ENABLED, "false"), options, BROKER)
                .notifications().inbox().enabled()).isFalse();
    }

    @Test
    void withoutAKubeconfigTheWorkersHaveNoClusterAndTheirOwnMode() {
        ActionWorkersConfig workers = Stack.workersConfig(loader, Map.of(), new StackOptions(null, null, 0, true),
                BROKER);

        assertThat(workers.kubernetes().enabled()).isFalse();
        assertThat(workers.kubernetes().watchDeployments()).isFalse();
    }

    @Test
    void aKubeconfigTurnsOnTheClusterInDryRunUnlessEnforced() {
        Path kubeconfig = Path.of("kubeconfig");

        ActionWorkersConfig dryRun = Stack.workersConfig(loader, Map.of(),
                new StackOptions(null, null, 0, true, kubeconfig, false, null, null), BROKER);
        ActionWorkersConfig enforce = Stack.workersConfig(loader, Map.of("RUNSTREAM_MODE", "off"),
                new StackOptions(null, null, 0, true, kubeconfig, true, null, null), BROKER);

        assertThat(dryRun.kubernetes().enabled()).isTrue();
        assertThat(dryRun.kubernetes().watchDeployments()).isTrue();
        assertThat(dryRun.mode()).isEqualTo(RemediationMode.DRY_RUN);
        assertThat(enforce.mode()).isEqualTo(RemediationMode.ENFORCE);
    }
}
