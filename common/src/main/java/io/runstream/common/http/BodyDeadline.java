package io.runstream.common.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Gives every request body a deadline from the moment the handler is called: a client that dribbles its body
 * (slow-loris on the body, which holds a request thread while a handler reads) has its body failed with a
 * {@link BodyTimeout} when the deadline passes, so the handler's read ends and it answers, and the connection is
 * closed. Requests without a body are not affected; a body read to its end in time cancels the deadline.
 */
public final class BodyDeadline extends Handler.Wrapper {

    private final Scheduler scheduler;
    private final Duration deadline;

    BodyDeadline(Scheduler scheduler, Duration deadline, Handler handler) {
        super(handler);
        this.scheduler = scheduler;
        this.deadline = deadline;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getLength() == 0) {
            return super.handle(request, response, callback);
        }
        DeadlineRequest timed = new DeadlineRequest(request);
        Scheduler.Task task = scheduler.schedule(timed::expire, deadline.toMillis(), TimeUnit.MILLISECONDS);
        timed.task = task;
        boolean handled = super.handle(timed, response, Callback.from(callback, task::cancel));
        if (!handled) {
            task.cancel();
        }
        return handled;
    }

    /** The failure a handler's body read ends with when the deadline passes. */
    public static final class BodyTimeout extends TimeoutException {
        private static final long serialVersionUID = 1L;

        BodyTimeout(Duration deadline) {
            super("the request body did not arrive within " + deadline.toSeconds() + " s");
        }
    }

    private final class DeadlineRequest extends Request.Wrapper {
        private volatile Scheduler.Task task;

        DeadlineRequest(Request request) {
            super(request);
        }

        void expire() {
            // The answer the handler now writes is the last on this connection: the rest of the body never came.
            fail(new BodyTimeout(deadline));
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.isLast() && task != null) {
                task.cancel();
            }
            return chunk;
        }
    }

    /** Whether a body read failed because its deadline passed (408), rather than being unreadable (400). */
    public static boolean isBodyTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BodyTimeout) {
                return true;
            }
        }
        return false;
    }
}
