package io.runstream.common.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The HTTP server every Runstream service runs: {@code /health/live} (503 with the failing checks while a
 * liveness check fails: a component died inside a running process, so the orchestrator must restart it; each
 * check is also the gauge {@code runstream_component_failed{component}}), {@code /health/ready} (503 with the
 * failing checks until every readiness check passes), {@code /metrics} in Prometheus text format, plus the
 * service's own routes. Jetty's core API: no servlet container, request bodies streamed, so size caps
 * apply before a body is read whole.
 */
public final class ServiceHttpServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;

    private ServiceHttpServer(Builder builder) {
        QueuedThreadPool threads = new QueuedThreadPool(builder.maxThreads, 4);
        threads.setName(builder.serviceName + "-http");
        server = new Server(threads);
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        httpConfig.setSendXPoweredBy(false);
        // Jetty's per-connection header cache matches values case-insensitively by default, so a follow-up
        // request on a kept-alive connection carrying "Bearer secreT" would be handed the cached "Bearer secret".
        // Credentials must be compared byte for byte.
        httpConfig.setHeaderCacheCaseSensitive(true);
        HttpSettings settings = builder.settings;
        HttpSettings.Limits limits = settings.limits();
        httpConfig.setRequestHeaderSize(limits.maxHeaderBytes());
        if (settings.tls() != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(settings.tls().keyStore().toString());
            ssl.setKeyStorePassword(settings.tls().keyStorePassword());
            ssl.setKeyStoreType(settings.tls().keyStoreType());
            httpConfig.addCustomizer(new SecureRequestCustomizer(false));
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(httpConfig));
            tls = true;
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
            tls = false;
        }
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        // Stalled clients are cut off by the idle timeout, slow ones by the header and body deadlines, and no
        // number of them can exhaust the server's file descriptors and buffers (slow-loris).
        connector.setIdleTimeout(builder.idleTimeoutMillis > 0 ? builder.idleTimeoutMillis
                : limits.idleTimeout().toMillis());
        connector.addBean(new RequestHeaderDeadline(connector.getScheduler(), limits.headerTimeout()));
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        server.setErrorHandler(new JsonErrorHandler());

        PathMappingsHandler routes = new PathMappingsHandler();
        List<ReadinessCheck> livenessChecks = List.copyOf(builder.livenessChecks);
        for (ReadinessCheck check : livenessChecks) {
            // 0/1 per component, so a Prometheus rule can page on a component that died inside a live process
            Gauge.builder("runstream.component.failed", check, c -> ReadinessReport.of(List.of(c)).ready() ? 0 : 1)
                    .description("1 while the component's liveness check fails (then /health/live answers 503)")
                    .tag("component", check.name()).register(builder.registry);
        }
        routes.addMapping(PathSpec.from("/health/live"), new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                ReadinessReport report = ReadinessReport.of(livenessChecks);
                JsonResponses.write(response, report.ready() ? 200 : 503, report, callback);
                return true;
            }
        });
        List<ReadinessCheck> checks = List.copyOf(builder.readinessChecks);
        routes.addMapping(PathSpec.from("/health/ready"), new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                ReadinessReport report = ReadinessReport.of(checks);
                JsonResponses.write(response, report.ready() ? 200 : 503, report, callback);
                return true;
            }
        });
        PrometheusMeterRegistry registry = builder.registry;
        routes.addMapping(PathSpec.from("/metrics"), new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                JsonResponses.text(response, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape(),
                        callback);
                return true;
            }
        });
        builder.routes.forEach((path, handler) -> routes.addMapping(PathSpec.from(path), handler));
        server.setHandler(new BodyDeadline(server.getScheduler(), limits.bodyTimeout(),
                new UnreadBodyClosesConnection(routes)));
    }

    public static Builder builder(String serviceName, HttpSettings settings, PrometheusMeterRegistry registry) {
        return new Builder(serviceName, settings, registry);
    }

    public ServiceHttpServer start() {
        try {
            server.start();
            return this;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start HTTP server on " + connector.getHost() + ":"
                    + connector.getPort() + ": " + e.getMessage(), e);
        }
    }

    /** The base URI clients use, with the port actually bound. */
    public URI uri() {
        return URI.create((tls ? "https" : "http") + "://" + connector.getHost() + ":" + connector.getLocalPort());
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("HTTP server did not stop cleanly", e);
        }
    }

    /** One condition for readiness, e.g. "Kafka reachable" or "streams RUNNING", or for liveness. */
    public interface ReadinessCheck {
        String name();

        /** Null when ready; otherwise why not. */
        String problem();

        static ReadinessCheck of(String name, Supplier<String> problem) {
            return new ReadinessCheck() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public String problem() {
                    return problem.get();
                }
            };
        }
    }

    /** The body of /health/ready and /health/live. */
    public record ReadinessReport(String status, Map<String, String> problems) {
        static ReadinessReport of(List<ReadinessCheck> checks) {
            Map<String, String> problems = new java.util.TreeMap<>();
            for (ReadinessCheck check : checks) {
                String problem;
                try {
                    problem = check.problem();
                } catch (RuntimeException e) {
                    problem = e.toString();
                }
                if (problem != null) {
                    problems.put(check.name(), problem);
                }
            }
            return new ReadinessReport(problems.isEmpty() ? "UP" : "DOWN", problems);
        }

        boolean ready() {
            return problems.isEmpty();
        }
    }

    /** Routes and readiness checks of one service. */
    public static final class Builder {
        private final String serviceName;
        private final HttpSettings settings;
        private final PrometheusMeterRegistry registry;
        private final Map<String, Handler> routes = new java.util.LinkedHashMap<>();
        private final List<ReadinessCheck> readinessChecks = new ArrayList<>();
        private final List<ReadinessCheck> livenessChecks = new ArrayList<>();
        private int maxThreads = 64;
        private long idleTimeoutMillis;

        private Builder(String serviceName, HttpSettings settings, PrometheusMeterRegistry registry) {
            this.serviceName = serviceName;
            this.settings = settings;
            this.registry = registry;
        }

        /** A route by Jetty path spec: an exact path, a prefix ({@code /api/v1/incidents/*}) or {@code ^regex}. */
        public Builder route(String pathSpec, Handler handler) {
            routes.put(pathSpec, handler);
            return this;
        }

        public Builder readiness(ReadinessCheck check) {
            readinessChecks.add(check);
            return this;
        }

        /**
         * A condition for liveness: null while the component works or may still recover (starting, rebalancing),
         * a reason once it has stopped for good and only a restart helps.
         */
        public Builder liveness(ReadinessCheck check) {
            livenessChecks.add(check);
            return this;
        }

        public Builder maxThreads(int threads) {
            this.maxThreads = threads;
            return this;
        }

        /** Overrides {@code http.limits.idleTimeout}. */
        public Builder idleTimeoutMillis(long millis) {
            this.idleTimeoutMillis = millis;
            return this;
        }

        public ServiceHttpServer build() {
            return new ServiceHttpServer(this);
        }
    }
}
