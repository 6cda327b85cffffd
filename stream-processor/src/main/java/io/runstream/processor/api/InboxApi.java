package io.runstream.processor.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;


import io.runstream.avro.IncidentEvent;
import io.runstream.common.http.AccessToken;
import io.runstream.common.http.JsonResponses;

/**
 * {@code GET /api/v1/inbox?limit=50}: the newest deliveries to the action workers' local inbox (pages, messages
 * and tickets whose channel has no configuration), across incidents, newest first: each with its incident, time,
 * channel, event and text. Every instance reads the {@code inbox-store} partitions it owns, one reverse scan of at
 * most {@code limit} entries each; the instance asked gathers the others' with {@code ?local=true}, as the
 * incident list does, and answers 503 with {@code Retry-After} while any of them cannot.
 */
public final class InboxApi extends Handler.Abstract {

    public static final String PATH = "/api/v1/inbox";
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final Comparator<Map<String, Object>> NEWEST_FIRST = Comparator
            .<Map<String, Object>, Instant>comparing(item -> Instant.parse(String.valueOf(item.get("at"))))
            .thenComparing(item -> String.valueOf(item.get("eventId"))).reversed();

    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;
    private final String incidentEventsTopic;
    private final LocalStores local;
    private final PeerClient peers;

    /**
     * @param incidentEventsTopic the topic the inbox store is built from, whose partitions this instance owns
     * @param readToken           what this instance presents when it asks another instance
     */
    public InboxApi(Supplier<KafkaStreams> streams, HostInfo self, String incidentEventsTopic, AccessToken readToken) {
        this.streams = streams;
        this.self = self;
        this.incidentEventsTopic = incidentEventsTopic;
        this.local = new LocalStores(streams, incidentEventsTopic);
        this.peers = new PeerClient(readToken);
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
            Fields query = Request.extractQueryParameters(request);
            int limit = QueryLimit.parse(query.getValue("limit"), DEFAULT_LIMIT, MAX_LIMIT);
            List<Map<String, Object>> items = newest(limit);
            if (!"true".equals(query.getValue(IncidentApi.LOCAL_PARAMETER))) {
                items.addAll(fromPeers(limit));
            }
            items.sort(NEWEST_FIRST);
            JsonResponses.write(response, 200, Map.of("items", items.subList(0, Math.min(limit, items.size()))),
                    callback);
        } catch (BadRequest e) {
            JsonResponses.error(response, 400, "invalid_parameter", e.getMessage(), e.parameter(), callback);
        } catch (NotReady e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            JsonResponses.error(response, 503, "not_ready", e.getMessage(), null, callback);
        }
        return true;
    }

    /** The newest {@code limit} deliveries of each partition this instance owns. */
    private List<Map<String, Object>> newest(int limit) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int partition : local.ownedPartitions(incidentEventsTopic::equals)) {
            LocalStores.read(() -> {
                try (KeyValueIterator<String, IncidentEvent> newest = local.<IncidentEvent>store(
                        IncidentViews.INBOX_STORE, partition).reverseAll()) {
                    for (int n = 0; n < limit && newest.hasNext(); n++) {
                        items.add(json(newest.next().value));
                    }
                }
                return null;
            });
        }
        return items;
    }

    private List<Map<String, Object>> fromPeers(int limit) {
        return peers.itemsOfOthers(streams, self, IncidentViews.INBOX_STORE,
                PATH + "?" + IncidentApi.LOCAL_PARAMETER + "=true&limit=" + limit).stream().map(PeerClient::asMap)
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    /** One delivery: the details the workers put in the result's {@code after} map, as the timeline holds them. */
    static Map<String, Object> json(IncidentEvent event) {
        Map<String, String> details = event.getDetails();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("incidentId", event.getIncidentId());
        json.put("at", event.getAt().toString());
        json.put("channel", details.get("after.channel"));
        json.put("event", details.get("after.event"));
        json.put("text", details.get("after.text"));
        json.put("commandId", event.getActionCommandId());
        json.put("eventId", event.getEventId());
        return json;
    }


}
