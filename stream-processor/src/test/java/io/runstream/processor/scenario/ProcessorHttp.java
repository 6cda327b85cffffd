package io.runstream.processor.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.runstream.processor.StreamProcessor;

/** A test's HTTP view of one running stream processor. */
final class ProcessorHttp {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StreamProcessor processor;

    ProcessorHttp(StreamProcessor processor) {
        this.processor = processor;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI base = processor.endpoints().get("processor health").resolve("/");
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status code, or -1 while nothing answers. */
    int status(String path) throws InterruptedException {
        try {
            return get(path).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
