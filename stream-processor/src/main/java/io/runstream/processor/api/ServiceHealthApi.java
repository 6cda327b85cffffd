package io.runstream.processor.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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

import io.runstream.avro.ServiceHealth;
import io.runstream.common.http.JsonResponses;
import io.runstream.processor.detection.DetectionStage;

/**
 * {@code GET /api/v1/services/{service}/health}: the service's latest measured window (error rate, latency
 * quantiles, resource ratios) from detection's {@code service-health-store}, answered by the instance that owns
 * the service's partition.
 */
public final class ServiceHealthApi extends Handler.Abstract {

    public static final String SERVICES_PATH = "/api/v1/services";

    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;
    private final KeyOwners owners;
    private final PeerClient peers = new PeerClient();

    public ServiceHealthApi(Supplier<KafkaStreams> streams, HostInfo self) {
        this.streams = streams;
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
        if (!rest.endsWith("/health") || rest.length() == "/health".length() || rest.length() > 300
                || rest.substring(0, rest.length() - "/health".length()).contains("/")) {
            JsonResponses.error(response, 404, "not_found", "no such resource: " + path, null, callback);
            return true;
        }
        String service = rest.substring(0, rest.length() - "/health".length());
        try {
            boolean local = "true".equals(Request.extractQueryParameters(request).getValue(IncidentApi.LOCAL_PARAMETER));
            HostInfo owner = local ? self : owners.ownerOf(DetectionStage.SERVICE_HEALTH_STORE, service);
            if (!owner.equals(self)) {
                IncidentApi.relay(peers.get(owner, SERVICES_PATH + "/" + URLEncoder.encode(service,
                        StandardCharsets.UTF_8) + "/health?" + IncidentApi.LOCAL_PARAMETER + "=true"), response, callback);
                return true;
            }
            ServiceHealth health = read(service, owners.partitionOf(DetectionStage.SERVICE_HEALTH_STORE, service));
            if (health == null) {
                JsonResponses.error(response, 404, "not_found", "no samples seen for service " + service, "service",
                        callback);
            } else {
                JsonResponses.write(response, 200, json(health), callback);
            }
        } catch (NotReady e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            JsonResponses.error(response, 503, "not_ready", e.getMessage(), null, callback);
        }
        return true;
    }

    /** From the one partition that holds the service, so a restoring partition answers 503, not 404. */
    private ServiceHealth read(String service, int partition) {
        KafkaStreams current = streams.get();
        if (current == null || current.state() != KafkaStreams.State.RUNNING) {
            throw new NotReady("stream processor is " + (current == null ? "starting" : current.state()));
        }
        try {
            ReadOnlyKeyValueStore<String, ServiceHealth> store = current.store(StoreQueryParameters.fromNameAndType(
                    DetectionStage.SERVICE_HEALTH_STORE, QueryableStoreTypes.<String, ServiceHealth>keyValueStore())
                    .withPartition(partition));
            return store.get(service);
        } catch (InvalidStateStoreException e) {
            throw new NotReady("state is moving between instances: " + e.getMessage());
        }
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
