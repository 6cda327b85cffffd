package io.runstream.processor.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.apache.kafka.streams.state.HostInfo;

import io.runstream.common.http.AccessToken;

/**
 * Asks another instance of the stream processor for what its own stores hold, with the read token when one is
 * configured (every instance of one application has the same).
 */
final class PeerClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
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
}
