package io.runstream.common.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose client has been sending one request's header block for longer than the deadline
 * (slow-loris): the idle timeout alone never fires for a client that dribbles a byte every few seconds. Checked
 * every {@code deadline}, so such a client is cut off between one and two deadlines after its first header
 * byte. Reading headers holds no thread (Jetty parses them as bytes arrive), so until then the client costs one
 * connection and at most the header buffer; other clients are served all along.
 */
final class RequestHeaderDeadline implements Connection.Listener {

    private final Scheduler scheduler;
    private final long deadlineMillis;

    RequestHeaderDeadline(Scheduler scheduler, Duration deadline) {
        this.scheduler = scheduler;
        this.deadlineMillis = deadline.toMillis();
    }

    @Override
    public void onOpened(Connection connection) {
        // Jetty's HTTP/1.1 connection is the one that parses headers; a TLS connection below it is skipped.
        if (connection instanceof HttpConnection http) {
            scheduler.schedule(new Check(http), deadlineMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** One look at the connection; reschedules itself while the connection is open. */
    private final class Check implements Runnable {
        private final HttpConnection connection;
        private long requestsSeen = -1;
        private boolean wasInHeaders;

        Check(HttpConnection connection) {
            this.connection = connection;
        }

        @Override
        public void run() {
            if (!connection.getEndPoint().isOpen()) {
                return;
            }
            long requests = connection.getMessagesIn();
            // Partway through a header block: some bytes of it arrived, the block is not complete.
            boolean inHeaders = connection.getParser().inHeaderState() && !connection.getParser().isStart();
            if (inHeaders && wasInHeaders && requests == requestsSeen) {
                connection.getEndPoint().close();
                return;
            }
            requestsSeen = requests;
            wasInHeaders = inHeaders;
            scheduler.schedule(this, deadlineMillis, TimeUnit.MILLISECONDS);
        }
    }
}
