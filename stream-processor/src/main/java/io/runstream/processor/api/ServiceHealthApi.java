package io.runstream.processor.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import io.runstream.avro.ServiceHealth;
import io.runstream.common.http.AccessToken;
import io.runstream.common.http.JsonResponses;
import io.runstream.processor.detection.DetectionStage;
import io.runstream.processor.detection.HealthHistory;

/**
 * Per-service views from detection's stores, answered by the instance that owns the service's partition:
 * <ul>
 * <li>{@code GET /api/v1/services/{service}/health}: the latest measured window (error rate, latency quantiles,
 * resource ratios) from {@code service-health-store};</li>
 * <li>{@code GET /api/v1/services/{service}/series?limit=120}: the latest {@code limit} (1-500) measurements of
 * error rate and latency, oldest first, from {@code service-health-history-store} (about 30 minutes).</li>
 * </ul>
 */
public final class ServiceHealthApi extends Handler.Abstract {

    public static final String SERVICES_PATH = "/api/v1/services";
    static final String HEALTH = "health";
    static final String SERIES = "series";
    static final int MAX_SERVICE_LENGTH = 200;
    static final int DEFAULT_POINTS = 120;
    static final int MAX_POINTS = 500;

    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;
    private final KeyOwners owners;
    private final PeerClient peers;

    /** @param readToken what this instance presents when it asks another instance */
    public ServiceHealthApi(Supplier<KafkaStreams> streams, HostInfo self, AccessToken readToken) {
        this.streams = streams;
        this.peers = new PeerClient(readToken);
        this.self = self;
        this.owners = new KeyOwners(streams);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        String rest = path.startsWith(SERVICES_PATH + "/") ? path.substring(SERVICES_PATH.length() + 1) : "";
        if (!"GET".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET");
            JsonResponses.error(response, 405, "method_not_allowed", request.getMethod() + " is not supported here",
                    null, callback);
            return true;
        }
        int slash = rest.lastIndexOf('/');
        String view = slash < 0 ? "" : rest.substring(slash + 1);
        if (!HEALTH.equals(view) && !SERIES.equals(view)) {
            JsonResponses.error(response, 404, "not_found", "no such resource: " + abbreviated(path), null, callback);
            return true;
        }
        String service = rest.substring(0, slash);
        try {
            checkServiceName(service);
            Fields query = Request.extractQueryParameters(request);
            int limit = SERIES.equals(view) ? QueryLimit.parse(query.getValue("limit"), DEFAULT_POINTS, MAX_POINTS) : 1;
            boolean local = "true".equals(query.getValue(IncidentApi.LOCAL_PARAMETER));
            HostInfo owner = local ? self : owners.ownerOf(DetectionStage.SERVICE_HEALTH_STORE, service);
            if (!owner.equals(self)) {
                IncidentApi.relay(peers.get(owner, SERVICES_PATH + "/" + URLEncoder.encode(service,
                        StandardCharsets.UTF_8) + "/" + view + "?" + IncidentApi.LOCAL_PARAMETER + "=true&limit="
                        + limit), response, callback);
                return true;
            }
            int partition = owners.partitionOf(DetectionStage.SERVICE_HEALTH_STORE, service);
            if (HEALTH.equals(view)) {
                health(service, partition, response, callback);
            } else {
                series(service, partition, limit, response, callback);
            }
        } catch (BadRequest e) {
            JsonResponses.error(response, 400, "invalid_parameter", e.getMessage(), e.parameter(), callback);
        } catch (NotReady e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            JsonResponses.error(response, 503, "not_ready", e.getMessage(), null, callback);
        }
        return true;
    }

    private void health(String service, int partition, Response response, Callback callback) {
        ServiceHealth health = read(() -> this.<ServiceHealth>store(DetectionStage.SERVICE_HEALTH_STORE, partition)
                .get(service));
        if (health == null) {
            JsonResponses.error(response, 404, "not_found", "no samples seen for service " + service, "service",
                    callback);
        } else {
            JsonResponses.write(response, 200, json(health), callback);
        }
    }

    private void series(String service, int partition, int limit, Response response, Callback callback) {
        List<ServiceHealth> history = read(() -> HealthHistory.latest(
                this.<ServiceHealth>store(DetectionStage.HEALTH_HISTORY_STORE, partition), service, limit));
        if (history.isEmpty()) {
            JsonResponses.error(response, 404, "not_found", "no samples seen for service " + service, "service",
                    callback);
            return;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("service", service);
        json.put("points", history.stream().map(ServiceHealthApi::point).toList());
        JsonResponses.write(response, 200, json, callback);
    }

    /** Service names come from labels; anything printable without a slash, up to 200 characters, is one. */
    private static void checkServiceName(String service) {
        if (service.isEmpty() || service.length() > MAX_SERVICE_LENGTH || service.equals(".") || service.equals("..")
                || service.contains("/") || service.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest("service", "a service name is 1 to " + MAX_SERVICE_LENGTH
                    + " characters without '/' or control characters");
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    /** From the one partition that holds the service, so a restoring partition answers 503, not 404. */
    private <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition) {
        KafkaStreams current = streams.get();
        if (current == null || current.state() != KafkaStreams.State.RUNNING) {
            throw new NotReady("stream processor is " + (current == null ? "starting" : current.state()));
        }
        return current.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition));
    }

    private static <T> T read(java.util.function.Supplier<T> query) {
        try {
            return query.get();
        } catch (InvalidStateStoreException e) {
            throw new NotReady("state is moving between instances: " + e.getMessage());
        }
    }

    private static Map<String, Object> point(ServiceHealth health) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("at", health.getWindowEnd());
        json.put("errorRate", health.getErrorRate());
        json.put("latencyP50Seconds", health.getLatencyP50Seconds());
        json.put("latencyP95Seconds", health.getLatencyP95Seconds());
        json.put("latencyP99Seconds", health.getLatencyP99Seconds());
        return json;
    }

    private static Map<String, Object> json(ServiceHealth health) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("service", health.getService());
        json.put("namespace", health.getNamespace());
        json.put("errorRate", health.getErrorRate());
        json.put("latencyP50Seconds", health.getLatencyP50Seconds());
        json.put("latencyP95Seconds", health.getLatencyP95Seconds());
        json.put("latencyP99Seconds", health.getLatencyP99Seconds());
        json.put("memoryRatio", health.getMemoryRatio());
        json.put("cpuRatio", health.getCpuRatio());
        json.put("diskRatio", health.getDiskRatio());
        json.put("restartRate", health.getRestartRate());
        json.put("windowStart", health.getWindowStart());
        json.put("windowEnd", health.getWindowEnd());
        json.put("updatedAt", health.getUpdatedAt());
        return json;
    }
}
