package io.runstream.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real Confluent-compatible schema registry: Apicurio Registry 2.6 from its Maven Central
 * distribution, which the build unpacks into {@code target/apicurio-registry} (maven-dependency-plugin, see the
 * parent POM's {@code unpack-schema-registry}). One child JVM per test JVM, on 127.0.0.1 and a free port, in-memory
 * storage, stopped when the JVM's tests are done. Tests receive a {@link TestSchemaRegistry}; subjects carry the
 * tests' unique topic prefixes, so tests sharing the registry do not meet.
 *
 * <p>2.6 rather than 3.x: it runs on the Java 17 that runs the build, so CI needs no second JDK.
 */
public final class SchemaRegistryExtension implements ParameterResolver {

    /** Where the build unpacked the distribution; a system property may point elsewhere. */
    public static final String HOME_PROPERTY = "runstream.schemaRegistry.home";
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SchemaRegistryExtension.class);
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");
    private static final long START_TIMEOUT_SECONDS = 120;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestSchemaRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        return store.getOrComputeIfAbsent("registry", key -> new RunningRegistry(), RunningRegistry.class).registry;
    }

    /** Closed by JUnit when the root context closes, i.e. after the last test of the JVM. */
    private static final class RunningRegistry implements AutoCloseable {
        private final Process process;
        private final TestSchemaRegistry registry;

        RunningRegistry() {
            Path home = Path.of(System.getProperty(HOME_PROPERTY, "target/apicurio-registry"));
            Path runner = runnerJar(home);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path log = home.resolveSibling("apicurio-registry.log");
            List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=0",
                    // its management interface would otherwise open 0.0.0.0:9000
                    "-Dquarkus.management.enabled=false", "-Dquarkus.management.host=127.0.0.1",
                    "-Dquarkus.management.port=0", "-jar", runner.toString()));
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the schema registry " + command, e);
            }
            closeQuietly(process);
            int port = awaitPort(log);
            registry = new TestSchemaRegistry("http://127.0.0.1:" + port);
        }

        private int awaitPort(Path log) {
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread pump = new Thread(() -> pump(log, port), "schema-registry-log");
            pump.setDaemon(true);
            pump.start();
            try {
                return port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                process.destroyForcibly();
                throw new IllegalStateException("the schema registry did not start within " + START_TIMEOUT_SECONDS
                        + " s; its output is in " + log.toAbsolutePath(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("interrupted while the schema registry started", e);
            }
        }

        /** Copies the registry's output to its log file and completes {@code port} once it listens. */
        private void pump(Path log, CompletableFuture<Integer> port) {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); PrintWriter file = new PrintWriter(Files.newBufferedWriter(log))) {
                for (String line; (line = out.readLine()) != null; ) {
                    file.println(line);
                    file.flush();
                    Matcher listening = LISTENING.matcher(line);
                    if (listening.find()) {
                        port.complete(Integer.parseInt(listening.group(1)));
                    }
                }
                port.completeExceptionally(new IllegalStateException("the schema registry exited with "
                        + process.waitFor()));
            } catch (IOException | InterruptedException e) {
                port.completeExceptionally(e);
            }
        }

        private static void closeQuietly(Process process) {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // it reads no input; a failed close changes nothing
            }
        }

        private static Path runnerJar(Path home) {
            try (Stream<Path> files = Files.list(home)) {
                return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst()
                        .orElseThrow(() -> missing(home));
            } catch (IOException e) {
                throw missing(home);
            }
        }

        private static IllegalStateException missing(Path home) {
            return new IllegalStateException("no Apicurio Registry distribution (*-runner.jar) in "
                    + home.toAbsolutePath() + ": the module's build unpacks io.apicurio:apicurio-registry-app:"
                    + "tar.gz:all there (maven-dependency-plugin execution unpack-schema-registry); run the build "
                    + "through process-test-resources, or set -D" + HOME_PROPERTY);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
