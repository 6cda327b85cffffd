package io.runstream.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for the Slack Web API methods Runstream uses, {@code chat.postMessage} and {@code chat.update}:
 * listens on 127.0.0.1 on a free port under {@code /api/}, checks the bot token, answers {@code ok:true} with the
 * channel and a fresh {@code ts} (update: the same ts), keeps each channel's messages by ts so a test can read what
 * a message shows now, and records every call. {@link #failNext} makes the next call answer {@code ok:false}.
 */
public final class FakeSlackWebApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call: the method name (e.g. {@code chat.update}), its Authorization header, and its JSON body. */
    public record Call(String method, String authorization, JsonNode body) {
    }

    private final HttpServer server;
    private final String token;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> messages = new ConcurrentHashMap<>();
    private final AtomicLong nextTs = new AtomicLong(1);
    private volatile String failNext;

    public FakeSlackWebApi(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/", this::handle);
        server.start();
    }

    /** The methods endpoint prefix, e.g. {@code http://127.0.0.1:PORT/api/}; Slack's own is https://slack.com/api/. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/");
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    /** The message as it shows now (the last post or update), by channel and ts; null if none. */
    public JsonNode message(String channel, String ts) {
        return messages.get(channel + "/" + ts);
    }

    /** The next call answers {@code {"ok":false,"error":<error>}} (ratelimited also as HTTP 429 with Retry-After). */
    public void failNext(String error) {
        failNext = error;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestURI().getPath().substring("/api/".length());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            JsonNode body;
            try {
                body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            } catch (IOException e) {
                body = JSON.createObjectNode();
            }
            calls.add(new Call(method, authorization, body));
            ObjectNode answer = JSON.createObjectNode();
            String error = failNext;
            failNext = null;
            int status = 200;
            if (error != null) {
                answer.put("ok", false).put("error", error);
                if (error.equals("ratelimited")) {
                    status = 429;
                    exchange.getResponseHeaders().add("Retry-After", "1");
                }
            } else if (!("Bearer " + token).equals(authorization)) {
                answer.put("ok", false).put("error", "invalid_auth");
            } else {
                answer = answer(method, body);
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private ObjectNode answer(String method, JsonNode body) {
        ObjectNode answer = JSON.createObjectNode();
        String channel = body.path("channel").asText("");
        if (channel.isEmpty()) {
            return answer.put("ok", false).put("error", "channel_not_found");
        }
        switch (method) {
            case "chat.postMessage" -> {
                String ts = "1733465400." + String.format("%06d", nextTs.getAndIncrement());
                messages.put(channel + "/" + ts, body);
                return answer.put("ok", true).put("channel", channel).put("ts", ts);
            }
            case "chat.update" -> {
                String ts = body.path("ts").asText("");
                if (!messages.containsKey(channel + "/" + ts)) {
                    return answer.put("ok", false).put("error", "message_not_found");
                }
                messages.put(channel + "/" + ts, body);
                return answer.put("ok", true).put("channel", channel).put("ts", ts);
            }
            default -> {
                return answer.put("ok", false).put("error", "unknown_method");
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
