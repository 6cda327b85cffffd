package io.runstream.testing;

/** A running schema registry for a test: where its Confluent-compatible API answers. */
public final class TestSchemaRegistry {

    private final String base;

    TestSchemaRegistry(String base) {
        this.base = base;
    }

    /** The Confluent-compatible API's base URL, what {@code schemas.registry.url} takes. */
    public String url() {
        return base + "/apis/ccompat/v7";
    }

    /** The registry's own root, e.g. for its native API. */
    public String root() {
        return base;
    }
}
