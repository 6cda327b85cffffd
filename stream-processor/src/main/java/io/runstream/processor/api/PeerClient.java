package io.runstream.processor.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import io.runstream.common.http.AccessToken;
import io.runstream.common.http.JsonResponses;

/**
 * Asks another instance of the stream processor for what its own stores hold, with the read token when one is
 * configured (every instance of one application has the same).
 */
final class PeerClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final TypeReference<Map<String, Object>> MAP_TYPE = new TypeReference<>() {
    };
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final AccessToken readToken;

    PeerClient(AccessToken readToken) {
        this.readToken = readToken;
    }

    /** The peer's answer, or {@link NotReady} when it cannot be reached (it may be restarting). */
    HttpResponse<byte[]> get(HostInfo peer, String pathAndQuery) {
        URI uri = URI.create("http://" + peer.host() + ":" + peer.port() + pathAndQuery);
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
            if (readToken.required()) {
                request.header("Authorization", readToken.authorizationHeader());
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new NotReady("instance " + peer + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotReady("interrupted while asking " + peer);
        }
    }

    /**
     * The {@code items} that every other instance holding {@code store} answers to {@code pathAndQuery} (a query of
     * its local stores), in the order they come; {@link NotReady} when any of them cannot answer, so that a list
     * is whole or not given.
     */
    List<JsonNode> itemsOfOthers(Supplier<KafkaStreams> streams, HostInfo self, String store, String pathAndQuery) {
        KafkaStreams current = streams.get();
        if (current == null) {
            throw new NotReady("stream processor is starting");
        }
        List<JsonNode> items = new ArrayList<>();
        for (StreamsMetadata instance : current.streamsMetadataForStore(store)) {
            if (instance.hostInfo().equals(self)) {
                continue;
            }
            HttpResponse<byte[]> answer = get(instance.hostInfo(), pathAndQuery);
            if (answer.statusCode() != 200) {
                throw new NotReady("instance " + instance.hostInfo() + " answered " + answer.statusCode());
            }
            parse(answer.body()).path("items").forEach(items::add);
        }
        return items;
    }

    /** A peer's answer as JSON; {@link NotReady} when it is not JSON (a peer mid-restart, a proxy's page). */
    static JsonNode parse(byte[] body) {
        try {
            return JsonResponses.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new NotReady("a peer answered with unreadable JSON: " + e.getMessage());
        }
    }

    /** An item of a peer's list as the map the local items are. */
    static Map<String, Object> asMap(JsonNode item) {
        return JsonResponses.MAPPER.convertValue(item, MAP_TYPE);
    }
}
