package io.runstream.processor.api;

/** The instance cannot answer right now (starting, rebalancing, store migrating); answered 503 with Retry-After. */
final class NotReady extends RuntimeException {

    private static final long serialVersionUID = 1L;

    NotReady(String message) {
        super(message);
    }
}
