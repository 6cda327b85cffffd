package io.runstream.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import io.runstream.launcher.scenario.ScenarioException;

/** Waits for a service's readiness endpoint to answer 200 (the stream processor needs a few seconds to run). */
final class Ready {

    private Ready() {
    }

    static void await(URI health, Duration atMost) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant giveUp = Instant.now().plus(atMost);
        while (Instant.now().isBefore(giveUp)) {
            try {
                if (http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500); // polling readiness
        }
        throw new ScenarioException(health + " did not become ready within " + atMost.toSeconds() + " s");
    }
}
