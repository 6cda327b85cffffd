package io.runstream.common.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client on a bare socket, for what a well-behaved client library will not do: dribble a request a few bytes at
 * a time, send a header block of any size, or a request line that is not HTTP.
 */
public final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean closedByServer = new AtomicBoolean();
    private volatile long closedAtNanos;
    private final long openedAtNanos = System.nanoTime();

    public RawClient(URI server) throws IOException {
        socket = new Socket(server.getHost(), server.getPort());
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
    }

    /** Sends text at once. */
    public RawClient send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /**
     * Sends {@code piece} again every {@code everyMillis} until the server closes the connection (a write then
     * fails), the way a slow-loris client keeps a connection busy without ever letting it go idle.
     */
    public RawClient dribble(String piece, long everyMillis) {
        pacer.scheduleAtFixedRate(() -> {
            try {
                send(piece);
            } catch (IOException e) {
                markClosed();
                pacer.shutdown();
            }
        }, 0, everyMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Whether the server has closed the connection (seen by a write failing or a read reaching the end). */
    public boolean closedByServer() {
        return closedByServer.get();
    }

    /** Seconds from opening the connection until the server closed it. */
    public double secondsUntilClosed() {
        return (closedAtNanos - openedAtNanos) / 1e9;
    }

    /** Reads what the server answers until it closes the connection; marks the close. */
    public String readUntilClosed() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                answer.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // A reset after the answer is a close as well.
        }
        markClosed();
        return answer.toString(StandardCharsets.UTF_8);
    }

    private void markClosed() {
        if (closedByServer.compareAndSet(false, true)) {
            closedAtNanos = System.nanoTime();
        }
    }

    /** The status code of a raw HTTP answer. */
    public static int status(String answer) {
        return Integer.parseInt(answer.split(" ", 3)[1]);
    }

    /** The body of a raw HTTP answer (after the blank line). */
    public static String body(String answer) {
        int split = answer.indexOf("\r\n\r\n");
        return split < 0 ? "" : answer.substring(split + 4);
    }

    @Override
    public void close() throws IOException {
        pacer.shutdownNow();
        socket.close();
    }
}
