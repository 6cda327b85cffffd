package io.runstream.workers.alertmanager;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.avro.ActionCommand;
import io.runstream.workers.ExecutionFailure;
import io.runstream.workers.http.HttpCalls;

/** The part of Alertmanager's API v2 the silence executors use: list, create and expire silences. */
public final class AlertmanagerApi {

    static final String CREATED_BY = "runstream";
    private static final String CHANNEL = "Alertmanager";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpCalls http;

    /** @param base Alertmanager's URL, e.g. http://alertmanager:9093 */
    public AlertmanagerApi(URI base, HttpCalls http) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.http = http;
    }

    HttpCalls http() {
        return http;
    }

    /** A silence as Alertmanager reports it; {@code state} is active, pending or expired. */
    record Silence(String id, String state, String comment, String createdBy, Instant endsAt) {
        boolean live() {
            return !"expired".equals(state);
        }
    }

    List<Silence> silences(ActionCommand command) {
        HttpCalls.Reply reply = http.send(command, CHANNEL, HttpRequest.newBuilder(base.resolve("api/v2/silences"))
                .header("Accept", "application/json").GET());
        List<Silence> silences = new ArrayList<>();
        for (JsonNode node : parse(reply.body())) {
            silences.add(new Silence(node.path("id").asText(), node.path("status").path("state").asText(),
                    node.path("comment").asText(), node.path("createdBy").asText(),
                    Instant.parse(node.path("endsAt").asText())));
        }
        return silences;
    }

    /** Creates a silence with equality matchers on the labels; returns its id. */
    String create(ActionCommand command, Map<String, String> labels, Instant startsAt, Instant endsAt,
            String comment) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode matchers = body.putArray("matchers");
        labels.forEach((name, value) -> matchers.addObject().put("name", name).put("value", value)
                .put("isRegex", false).put("isEqual", true));
        body.put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString()).put("createdBy", CREATED_BY)
                .put("comment", comment);
        HttpCalls.Reply reply = http.send(command, CHANNEL, HttpRequest.newBuilder(base.resolve("api/v2/silences"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        return parse(reply.body()).path("silenceID").asText();
    }

    void expire(ActionCommand command, String id) {
        http.send(command, CHANNEL, HttpRequest.newBuilder(base.resolve("api/v2/silence/" + id)).DELETE());
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ExecutionFailure("http_error", "Alertmanager answered with unreadable JSON: "
                    + e.getOriginalMessage(), 1);
        }
    }
}
