package io.runstream.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for an HTTP service Runstream calls (a Slack incoming webhook, a ticket webhook, PagerDuty's
 * Events API): listens on 127.0.0.1 on a free port, records every request as it arrived (method, path, headers,
 * body, and the body read as JSON) and answers each with one fixed status and body, so the caller's real HTTP
 * client is exercised and the test reads what it was sent.
 */
public final class RecordingHttpReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One request as it arrived; {@code json} is its body read as JSON, a missing node when the body was not JSON.
     */
    public record Request(String method, String path, Map<String, List<String>> headers, String body, JsonNode json) {

        /** The first value of a header, by case-insensitive name. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name)).filter(values -> !values.isEmpty()).map(v -> v.get(0));
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final int status;
    private final byte[] answer;
    private final String contentType;

    private RecordingHttpReceiver(int status, String answer) throws IOException {
        this.status = status;
        this.answer = answer.getBytes(StandardCharsets.UTF_8);
        this.contentType = json(answer).isMissingNode() ? "text/plain" : "application/json";
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::record);
        server.start();
    }

    /**
     * A receiver answering every request with {@code status} and {@code answer} (sent as JSON when it is JSON),
     * e.g. 200 {@code ok} as Slack does, 202 {@code {"status":"success"}} as PagerDuty does.
     */
    public static RecordingHttpReceiver answering(int status, String answer) throws IOException {
        return new RecordingHttpReceiver(status, answer);
    }

    /** This receiver's address with {@code path}, e.g. {@code /services/T000/B000/XXXX}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Every request received, in order of arrival. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void record(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Collections.unmodifiableMap(headers), body, json(body)));
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private static JsonNode json(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
