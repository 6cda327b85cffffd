package io.runstream.launcher.api;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client of a running stack's incident API ({@code /api/v1/incidents}). A 503 (the processor is rebalancing or
 * restoring) is retried as its Retry-After says, up to {@code retryFor}; every other failure is an
 * {@link ApiException} with a message a person can act on. The write token is sent, never shown.
 */
public final class IncidentApiClient {

    /** The incident API of {@code runstream run} on its default ports. */
    public static final URI LOCAL = URI.create("http://127.0.0.1:8082");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String writeToken;
    private final String readToken;
    private final Duration retryFor;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public IncidentApiClient(URI base, String writeToken, Duration retryFor, Clock clock) {
        this(base, writeToken, null, retryFor, clock);
    }

    /**
     * @param readToken sent with every read when not null: the API's {@code api.readToken}, when it has one
     */
    public IncidentApiClient(URI base, String writeToken, String readToken, Duration retryFor, Clock clock) {
        this.base = base;
        this.writeToken = writeToken;
        this.readToken = readToken;
        this.retryFor = retryFor;
        this.clock = clock;
    }

    public URI base() {
        return base;
    }

    /** Every incident matching the filters ({@code state}, {@code severity}, {@code service}), newest first. */
    public List<JsonNode> list(Map<String, String> filters, int max) throws InterruptedException {
        List<JsonNode> items = new ArrayList<>();
        String after = null;
        do {
            Map<String, String> query = new LinkedHashMap<>(filters);
            query.put("limit", Integer.toString(Math.min(500, Math.max(1, max - items.size()))));
            if (after != null) {
                query.put("after", after);
            }
            JsonNode page = get("/api/v1/incidents?" + query.entrySet().stream()
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&")));
            page.path("items").forEach(items::add);
            after = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (after != null && items.size() < max);
        return items.size() > max ? items.subList(0, max) : items;
    }

    /** One incident with its alerts and timeline. */
    public JsonNode incident(String id) throws InterruptedException {
        return get("/api/v1/incidents/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code acknowledge}, {@code resolve}, {@code approve}, ... for the incident; answers the API's 202 body
     * (the command id). The outcome shows on the incident's timeline.
     */
    public JsonNode command(String id, String action, Map<String, String> body) throws InterruptedException {
        if (writeToken == null || writeToken.isBlank()) {
            throw new ApiException(ApiException.REFUSED, -1, "no write token: give --token-file FILE or set "
                    + "RUNSTREAM_API_WRITE_TOKEN (runstream run writes one to ~/.runstream/api-write-token)");
        }
        ObjectNode json = JSON.createObjectNode();
        body.forEach(json::put);
        return send(HttpRequest.newBuilder(base.resolve("/api/v1/incidents/"
                        + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/" + action))
                .header("Authorization", "Bearer " + writeToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.toString())), "incident " + id);
    }

    private JsonNode get(String path) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (readToken != null && !readToken.isBlank()) {
            request.header("Authorization", "Bearer " + readToken);
        }
        return send(request, path.startsWith("/api/v1/incidents/")
                ? "incident " + path.substring("/api/v1/incidents/".length()) : "incidents");
    }

    private JsonNode send(HttpRequest.Builder builder, String subject) throws InterruptedException {
        HttpRequest request = builder.timeout(Duration.ofSeconds(15)).header("Accept", "application/json").build();
        Instant giveUp = clock.instant().plus(retryFor);
        while (true) {
            HttpResponse<String> answer;
            try {
                answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpConnectTimeoutException e) {
                throw unreachable("no answer within 5 s");
            } catch (IOException e) {
                throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            int status = answer.statusCode();
            if (status / 100 == 2) {
                return parse(answer.body());
            }
            if (status == 503) {
                Duration wait = retryAfter(answer);
                if (clock.instant().plus(wait).isAfter(giveUp)) {
                    throw new ApiException(ApiException.UNAVAILABLE, 503, "the incident API at " + base
                            + " is not ready (503: " + reason(answer.body()) + "); it asked to retry after "
                            + wait.toSeconds() + " s. Try again shortly.");
                }
                Thread.sleep(wait.toMillis()); // the API said when to come back
                continue;
            }
            throw refused(status, answer.body(), subject, request.method().equals("GET"));
        }
    }

    private ApiException unreachable(String detail) {
        return new ApiException(ApiException.UNREACHABLE, -1, "cannot reach the incident API at " + base + " ("
                + detail + "). Is the stack running? Start it with 'runstream run', or point --api at it.");
    }

    private ApiException refused(int status, String body, String subject, boolean read) {
        String message = switch (status) {
            case 401 -> read ? "the API wants a read token (401): give --read-token-file or RUNSTREAM_API_READ_TOKEN"
                    : "the write token was refused (401): check --token-file or RUNSTREAM_API_WRITE_TOKEN";
            case 403 -> "the stack accepts no writes (403): start it with api.writeToken set "
                    + "(RUNSTREAM_API_WRITE_TOKEN); " + reason(body);
            case 404 -> "not found (404): " + subject + " - " + reason(body);
            default -> "the incident API refused the request (" + status + "): " + reason(body);
        };
        return new ApiException(ApiException.REFUSED, status, message);
    }

    private static String reason(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            String message = json.path("message").asText("");
            String field = json.path("field").asText("");
            return message.isEmpty() ? body : message + (field.isEmpty() ? "" : " (" + field + ")");
        } catch (JsonProcessingException e) {
            return body.length() > 200 ? body.substring(0, 200) + "..." : body;
        }
    }

    private JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(ApiException.REFUSED, 200, "the incident API at " + base
                    + " answered something that is not JSON: " + e.getOriginalMessage());
        }
    }

    private static Duration retryAfter(HttpResponse<?> answer) {
        try {
            long seconds = Long.parseLong(answer.headers().firstValue("Retry-After").orElse("1").trim());
            return Duration.ofSeconds(Math.max(1, Math.min(60, seconds)));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }
}
