package io.runstream.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.runstream.kafka.EmbeddedKafkaBroker;

/**
 * Gives tests a real Kafka broker: one per test JVM, started on first use and stopped when the JVM's
 * tests are done. Tests receive a {@link TestKafka} parameter whose topic prefix is theirs alone, so
 * tests sharing the broker never read each other's records.
 */
public final class KafkaBrokerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestKafka.class || type == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        EmbeddedKafkaBroker broker = sharedBroker(context);
        if (parameter.getParameter().getType() == EmbeddedKafkaBroker.class) {
            return broker;
        }
        return new TestKafka(broker, TestKafka.uniquePrefix(context.getRequiredTestClass().getSimpleName()));
    }

    private static EmbeddedKafkaBroker sharedBroker(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        return store.getOrComputeIfAbsent("broker", key -> new StartedBroker(), StartedBroker.class).broker();
    }

    /** Closed by JUnit when the root context closes, i.e. after the last test of the JVM. */
    private static final class StartedBroker implements AutoCloseable {
        private final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();

        EmbeddedKafkaBroker broker() {
            return broker;
        }

        @Override
        public void close() {
            broker.close();
        }
    }
}
