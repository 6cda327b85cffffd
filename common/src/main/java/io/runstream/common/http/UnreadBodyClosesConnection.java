package io.runstream.common.http;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Keeps a connection usable when a handler answers before reading the request body (a 401 for a wrong token, a
 * 415, a 413 by the declared length). Left alone, Jetty closes such a connection after the answer if the rest of
 * the body has not arrived yet: the client, told nothing, reuses it for its next POST and gets no bytes back (or
 * a reset that eats the answer itself), and clients do not retry a POST. So before the answer goes out, a small
 * body is read and discarded (bounded by the body deadline), and a large or unreadable one, or one the client
 * holds back until told to continue ({@code Expect: 100-continue}), gets {@code Connection: close}.
 */
final class UnreadBodyClosesConnection extends Handler.Wrapper {

    /** Bodies up to this are drained, like Tomcat's swallow limit; larger ones are not worth reading. */
    static final long MAX_DRAINED_BYTES = 256 * 1024;

    UnreadBodyClosesConnection(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getLength() == 0) {
            return super.handle(request, response, callback);
        }
        TrackedRequest tracked = new TrackedRequest(request);
        CloseIfUnread closing = new CloseIfUnread(request, response, tracked);
        return super.handle(tracked, closing, Callback.from(closing::beforeCompletion, callback));
    }

    /** Remembers whether the handler read the body to its last chunk. */
    private static final class TrackedRequest extends Request.Wrapper {
        private volatile boolean bodyRead;

        TrackedRequest(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.isLast() && !Content.Chunk.isFailure(chunk)) {
                bodyRead = true;
            }
            return chunk;
        }
    }

    /** Adds the header on the answer's first write, or at completion when the handler wrote nothing. */
    private static final class CloseIfUnread extends Response.Wrapper {
        private final TrackedRequest tracked;

        private final long declaredLength;
        private final boolean expectsContinue;

        CloseIfUnread(Request request, Response response, TrackedRequest tracked) {
            super(request, response);
            this.tracked = tracked;
            this.declaredLength = request.getLength();
            this.expectsContinue = request.getHeaders().contains(HttpHeader.EXPECT,
                    HttpHeaderValue.CONTINUE.asString());
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            beforeCompletion();
            super.write(last, content, callback);
        }

        void beforeCompletion() {
            if (tracked.bodyRead || isCommitted()) {
                return;
            }
            // A client waiting for "100 Continue" has not sent its body and will not: reading would ask for it.
            if (declaredLength > 0 && declaredLength <= MAX_DRAINED_BYTES && !expectsContinue) {
                try {
                    Content.Source.consumeAll(tracked);
                } catch (java.io.IOException | RuntimeException e) {
                    // Fall through: an unreadable body leaves the connection unusable anyway.
                }
            }
            if (!tracked.bodyRead) {
                getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
        }
    }
}
