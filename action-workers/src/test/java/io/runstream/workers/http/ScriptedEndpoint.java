package io.runstream.workers.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A local endpoint for the answers {@code RecordingHttpReceiver} cannot give: a scripted sequence of statuses
 * (a 503 before a 200), a redirect with its Location, a body of any size, or no answer at all until the test ends
 * (for timeouts, without sleeping).
 */
final class ScriptedEndpoint implements AutoCloseable {

    /** One answer: status, headers and a body of {@code bodyBytes} repeated characters, or {@code body}. */
    record Answer(int status, Map<String, String> headers, String body, int bodyBytes, boolean hang) {
        static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body, 0, false);
        }

        static Answer redirect(URI location) {
            return new Answer(302, Map.of("Location", location.toString()), "", 0, false);
        }

        static Answer ofSize(int status, int bodyBytes) {
            return new Answer(status, Map.of(), null, bodyBytes, false);
        }

        static Answer none() {
            return new Answer(0, Map.of(), null, 0, true);
        }
    }

    private final HttpServer server;
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final Answer last;
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);

    /** Answers with {@code first} in order, then with {@code last} for every further request. */
    ScriptedEndpoint(Answer last, Answer... first) throws IOException {
        this.last = last;
        script.addAll(List.of(first));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                requests.incrementAndGet();
                Answer answer = script.isEmpty() ? last : script.poll();
                if (answer.hang()) {
                    closed.await();
                    return;
                }
                answer.headers().forEach(exchange.getResponseHeaders()::add);
                byte[] body = answer.body() != null ? answer.body().getBytes(StandardCharsets.UTF_8)
                        : "x".repeat(answer.bodyBytes()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                } catch (IOException e) {
                    // the client stopped reading a body over its limit
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    /** host:port of this endpoint, the target name and allow-list entry of commands calling it. */
    String authority() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    URI uri(String path) {
        return URI.create("http://" + authority() + path);
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
