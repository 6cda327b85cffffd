package io.runstream.workers.notify;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for a REST API (Statuspage, Jira) on 127.0.0.1: answers {@code METHOD /path} (the path without
 * its query) with the answers scripted for it, the last one repeating, and 404 for anything unscripted; records
 * every request with its query, so a test reads what was sent.
 */
final class ScriptedApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, String body) {
    }

    record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> script = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    ScriptedApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                URI uri = exchange.getRequestURI();
                requests.add(new Request(exchange.getRequestMethod(), uri.getPath(), uri.getQuery(),
                        Map.copyOf(exchange.getRequestHeaders()), body));
                Answer answer = next(exchange.getRequestMethod() + " " + uri.getPath());
                byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    exchange.getResponseBody().write(out);
                }
            }
        });
        server.start();
    }

    /** Answers {@code route} ("POST /v1/pages/p1/incidents") with these, in order, the last one repeating. */
    ScriptedApi on(String route, Answer... answers) {
        script.computeIfAbsent(route, r -> new ArrayDeque<>()).addAll(List.of(answers));
        return this;
    }

    static Answer answer(int status, String body) {
        return new Answer(status, body);
    }

    private synchronized Answer next(String route) {
        Deque<Answer> answers = script.get(route);
        if (answers == null || answers.isEmpty()) {
            return new Answer(404, "{\"errorMessages\":[\"no route " + route + "\"]}");
        }
        return answers.size() > 1 ? answers.poll() : answers.peek();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
