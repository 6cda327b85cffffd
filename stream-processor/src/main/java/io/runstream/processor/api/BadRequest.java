package io.runstream.processor.api;

/** A query parameter the API cannot honour; answered 400 naming the parameter. */
final class BadRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String parameter;

    BadRequest(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
