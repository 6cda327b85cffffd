package io.runstream.launcher.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for PagerDuty's Events API v2 ({@code POST /v2/enqueue}): records every event it is sent and
 * answers 202 as PagerDuty does, so the workers' PAGE executor is exercised over real HTTP.
 */
final class PagerDutyReceiver implements AutoCloseable {

    static final String PATH = "/v2/enqueue";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> unreadable = new CopyOnWriteArrayList<>();

    PagerDutyReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(PATH, exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String dedupKey = "";
            try {
                JsonNode event = JSON.readTree(body);
                events.add(event);
                dedupKey = event.path("dedup_key").asText();
            } catch (IOException e) {
                unreadable.add(body);
            }
            byte[] answer = JSON.createObjectNode().put("status", "success").put("message", "Event processed")
                    .put("dedup_key", dedupKey).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    /** Every event received, in order of arrival. */
    List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** Bodies that were not JSON (none expected). */
    List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
