package io.runstream.processor.api;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.avro.Incident;
import io.runstream.common.http.AccessToken;
import io.runstream.common.http.JsonResponses;

/**
 * The incident API, served from the state stores through interactive queries. A request about one incident
 * is answered by the instance that owns its partition ({@code queryMetadataForKey}), forwarded there when it
 * is another; a list gathers every instance's page and merges it. While partitions move, the answer is 503
 * with {@code Retry-After} rather than stale or partial data.
 *
 * <pre>
 * GET /api/v1/incidents?state=OPEN,ACKNOWLEDGED&amp;severity=P1&amp;service=x&amp;limit=50&amp;after=CURSOR
 * GET /api/v1/incidents/{id}
 * POST /api/v1/incidents/{id}/{acknowledge|resolve|assign|comment|approve}   (bearer write token)
 * </pre>
 */
public final class IncidentApi extends Handler.Abstract {

    public static final String INCIDENTS_PATH = "/api/v1/incidents";
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** Set on requests between instances, so that a peer answers from its own stores and does not fan out. */
    static final String LOCAL_PARAMETER = "local";

    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;
    private final LocalStores local;
    private final PeerClient peers;
    private final KeyOwners owners;

    private final IncidentCommandEndpoint commands;

    /**
     * @param incidentsTopic the incidents topic, whose partitions the incident stores follow
     * @param writeToken     bearer token for writes; empty refuses them
     * @param readToken      what this instance presents when it asks another instance (reads are gated in front
     *                       of this handler, by {@link ReadTokenGate})
     * @param publisher      where accepted commands go; null refuses writes
     */
    public IncidentApi(Supplier<KafkaStreams> streams, HostInfo self, String incidentsTopic, String writeToken,
            AccessToken readToken, CommandPublisher publisher, MeterRegistry registry) {
        this.streams = streams;
        this.peers = new PeerClient(readToken);
        this.self = self;
        this.local = new LocalStores(streams, incidentsTopic);
        this.owners = new KeyOwners(streams);
        this.commands = new IncidentCommandEndpoint(writeToken, publisher, this::correlationKeyOf, Clock.systemUTC(), registry);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        String[] parts = path.startsWith(INCIDENTS_PATH + "/") ? path.substring(INCIDENTS_PATH.length() + 1).split("/", -1)
                : new String[0];
        boolean commandPath = parts.length == 2 && !parts[0].isEmpty();
        String allowed = commandPath ? "POST" : "GET";
        if (!allowed.equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
            JsonResponses.error(response, 405, "method_not_allowed", request.getMethod() + " is not supported here",
                    null, callback);
            return true;
        }
        try {
            if (commandPath) {
                commands.handle(parts[0], parts[1], request, response, callback);
                return true;
            }
            Fields query = Request.extractQueryParameters(request);
            if (path.equals(INCIDENTS_PATH) || path.equals(INCIDENTS_PATH + "/")) {
                list(query, response, callback);
            } else if (path.startsWith(INCIDENTS_PATH + "/") && path.indexOf('/', INCIDENTS_PATH.length() + 1) < 0) {
                one(path.substring(INCIDENTS_PATH.length() + 1), query, response, callback);
            } else {
                JsonResponses.error(response, 404, "not_found", "no such resource: " + path, null, callback);
            }
        } catch (BadRequest e) {
            JsonResponses.error(response, 400, "invalid_parameter", e.getMessage(), e.parameter(), callback);
        } catch (NotReady e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            JsonResponses.error(response, 503, "not_ready", e.getMessage(), null, callback);
        }
        return true;
    }

    private void one(String id, Fields query, Response response, Callback callback) {
        if (id.isEmpty() || id.length() > 200) {
            throw new BadRequest("id", "an incident id is 1 to 200 characters");
        }
        if (!isLocalRequest(query)) {
            HostInfo owner = owners.ownerOf(IncidentViews.INCIDENTS_STORE, id);
            if (!owner.equals(self)) {
                relay(peers.get(owner, INCIDENTS_PATH + "/" + encode(id) + "?" + LOCAL_PARAMETER + "=true"),
                        response, callback);
                return;
            }
        }
        int partition = owners.partitionOf(IncidentViews.INCIDENTS_STORE, id);
        Incident incident = local.incident(id, partition).orElse(null);
        if (incident == null) {
            // A deleted incident leaves nothing behind to tell it from one never known (that would be unbounded state).
            JsonResponses.error(response, 404, "not_found", "no incident " + id
                    + ": never known, or resolved and deleted past its retention (correlation.retention)", "id", callback);
            return;
        }
        JsonResponses.write(response, 200, IncidentJson.detail(incident, local.timeline(id, partition)), callback);
    }

    /**
     * The incident's correlation key, asked of its owner, or empty when it has no such incident: resolved once here,
     * at the edge, so the command reaches the incident's one writer by it without the processor looking it up.
     */
    private Optional<String> correlationKeyOf(String id) {
        if (id.length() > 200) {
            throw new BadRequest("id", "an incident id is 1 to 200 characters");
        }
        HostInfo owner = owners.ownerOf(IncidentViews.INCIDENTS_STORE, id);
        if (owner.equals(self)) {
            return local.incident(id, owners.partitionOf(IncidentViews.INCIDENTS_STORE, id))
                    .map(Incident::getCorrelationKey);
        }
        HttpResponse<byte[]> answer = peers.get(owner, INCIDENTS_PATH + "/" + encode(id) + "?" + LOCAL_PARAMETER
                + "=true");
        if (answer.statusCode() == 503) {
            throw new NotReady("the owner of " + id + " is not ready");
        }
        if (answer.statusCode() != 200) {
            return Optional.empty();
        }
        String key = PeerClient.parse(answer.body()).path("correlationKey").asText(null);
        if (key == null || key.isEmpty()) {
            throw new NotReady("the owner of " + id + " answered without its correlation key");
        }
        return Optional.of(key);
    }

    private void list(Fields query, Response response, Callback callback) {
        IncidentFilter filter = IncidentFilter.parse(query.getValue("state"), query.getValue("severity"),
                query.getValue("service"));
        int limit = QueryLimit.parse(query.getValue("limit"), DEFAULT_LIMIT, MAX_LIMIT);
        PageCursor after = PageCursor.decode(query.getValue("after"));
        List<Map<String, Object>> items = new ArrayList<>();
        List<PageCursor> positions = new ArrayList<>();
        for (Incident incident : local.incidents(filter, after, limit)) {
            items.add(IncidentJson.summary(incident));
            positions.add(LocalStores.cursorOf(incident));
        }
        if (!isLocalRequest(query)) {
            gatherFromPeers(query, items, positions);
        }
        mergeAndRespond(items, positions, limit, response, callback);
    }

    private void gatherFromPeers(Fields query, List<Map<String, Object>> items, List<PageCursor> positions) {
        StringBuilder peerQuery = new StringBuilder("?" + LOCAL_PARAMETER + "=true");
        for (String name : List.of("state", "severity", "service", "limit", "after")) {
            String value = query.getValue(name);
            if (value != null) {
                peerQuery.append('&').append(name).append('=').append(encode(value));
            }
        }
        for (JsonNode item : peers.itemsOfOthers(streams, self, IncidentViews.INCIDENTS_STORE,
                INCIDENTS_PATH + peerQuery)) {
            items.add(PeerClient.asMap(item));
            positions.add(new PageCursor(Instant.parse(item.path("openedAt").asText()).toEpochMilli(),
                    item.path("id").asText()));
        }
    }

    private static void mergeAndRespond(List<Map<String, Object>> items, List<PageCursor> positions, int limit,
            Response response, Callback callback) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> PageCursor.ORDER.compare(positions.get(a), positions.get(b)));
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, order.size()); i++) {
            page.add(items.get(order.get(i)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page);
        body.put("nextCursor", order.size() > limit ? positions.get(order.get(limit - 1)).encode() : null);
        JsonResponses.write(response, 200, body, callback);
    }

    static void relay(HttpResponse<byte[]> answer, Response response, Callback callback) {
        if (answer.statusCode() == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        response.setStatus(answer.statusCode());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, java.nio.ByteBuffer.wrap(answer.body()), callback);
    }

    private static boolean isLocalRequest(Fields query) {
        return "true".equals(query.getValue(LOCAL_PARAMETER));
    }


    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

}
