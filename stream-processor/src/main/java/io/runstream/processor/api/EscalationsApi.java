package io.runstream.processor.api;

import java.util.ArrayList;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;


import io.runstream.avro.Incident;
import io.runstream.avro.TimerState;
import io.runstream.common.http.AccessToken;
import io.runstream.common.http.JsonResponses;
import io.runstream.processor.correlation.CorrelationStage;
import io.runstream.processor.escalation.EscalationPolicy;
import io.runstream.processor.escalation.PendingEscalations;

/**
 * {@code GET /api/v1/escalations}: the next escalation step of every open, unacknowledged incident (when, what
 * and to whom), read from the correlation tasks' {@code escalation-timers-store} and {@code correlation-store}
 * on every instance. The timers are keyed by due time, so this reads each owned partition's timers, at most
 * {@link #MAX_TIMERS_PER_PARTITION} of them; open incidents have a handful each.
 */
public final class EscalationsApi extends Handler.Abstract {

    public static final String PATH = "/api/v1/escalations";
    static final int MAX_TIMERS_PER_PARTITION = 10_000;
    /** The correlation tasks' input, whose partitions are the timers store's. */
    private static final String CORRELATION_TOPIC_SUFFIX = "-" + CorrelationStage.REPARTITION + "-repartition";

    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;
    private final LocalStores local;
    private final PendingEscalations pending;
    private final PeerClient peers;

    /** @param readToken what this instance presents when it asks another instance */
    public EscalationsApi(Supplier<KafkaStreams> streams, HostInfo self, String incidentsTopic,
            EscalationPolicy policy, AccessToken readToken) {
        this.streams = streams;
        this.peers = new PeerClient(readToken);
        this.self = self;
        this.local = new LocalStores(streams, incidentsTopic);
        this.pending = new PendingEscalations(policy);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"GET".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET");
            JsonResponses.error(response, 405, "method_not_allowed", request.getMethod() + " is not supported here",
                    null, callback);
            return true;
        }
        try {
            List<Map<String, Object>> items = localPending();
            if (!"true".equals(Request.extractQueryParameters(request).getValue(IncidentApi.LOCAL_PARAMETER))) {
                items.addAll(fromPeers());
            }
            items.sort(Comparator.comparing(item -> Instant.parse(String.valueOf(item.get("dueAt")))));
            JsonResponses.write(response, 200, Map.of("items", items), callback);
        } catch (NotReady e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            JsonResponses.error(response, 503, "not_ready", e.getMessage(), null, callback);
        }
        return true;
    }

    private List<Map<String, Object>> localPending() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int partition : local.ownedPartitions(topic -> topic.endsWith(CORRELATION_TOPIC_SUFFIX))) {
            LocalStores.read(() -> {
                ReadOnlyKeyValueStore<Bytes, TimerState> timers = local.store(CorrelationStage.TIMERS_STORE, partition,
                        Bytes.class);
                ReadOnlyKeyValueStore<String, Incident> current = local.store(CorrelationStage.STORE, partition);
                try (KeyValueIterator<Bytes, TimerState> all = timers.all()) {
                    pending.next(PendingEscalations.timersOf(all), current::get, MAX_TIMERS_PER_PARTITION).values()
                            .forEach(step -> items.add(json(step)));
                }
                return null;
            });
        }
        return items;
    }

    private List<Map<String, Object>> fromPeers() {
        return peers.itemsOfOthers(streams, self, CorrelationStage.TIMERS_STORE,
                PATH + "?" + IncidentApi.LOCAL_PARAMETER + "=true").stream().map(PeerClient::asMap)
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    private static Map<String, Object> json(PendingEscalations.Pending step) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("incidentId", step.incidentId());
        json.put("step", step.step());
        json.put("dueAt", step.dueAt().toString());
        json.put("type", step.type().name());
        json.put("channel", step.channel());
        return json;
    }


}
