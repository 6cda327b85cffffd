package io.runstream.testing;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.CommonClientConfigs;

import io.runstream.kafka.EmbeddedKafkaBroker;

/**
 * One test's view of the shared broker: where it is, and a topic prefix no other test uses.
 */
public final class TestKafka {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final EmbeddedKafkaBroker broker;
    private final String topicPrefix;

    TestKafka(EmbeddedKafkaBroker broker, String topicPrefix) {
        this.broker = broker;
        this.topicPrefix = topicPrefix;
    }

    static String uniquePrefix(String testClass) {
        String safe = testClass.replaceAll("[^a-zA-Z0-9]", "");
        return "t" + SEQUENCE.incrementAndGet() + "-" + safe + "-" + ProcessHandle.current().pid() + ".";
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** A topic prefix that only this test uses; give it to the topic catalog. */
    public String topicPrefix() {
        return topicPrefix;
    }

    /** A consumer group or application id that only this test uses. */
    public String uniqueId(String purpose) {
        return topicPrefix + purpose;
    }

    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }
}
