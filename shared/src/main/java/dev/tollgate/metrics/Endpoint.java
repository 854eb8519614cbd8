package dev.tollgate.metrics;

/** The public endpoint a request came in on: the {@code endpoint} tag of {@code tollgate.requests}. */
public enum Endpoint {
    CHAT("chat"),
    RESPONSES("responses"),
    MESSAGES("messages"),
    COMPLETIONS("completions"),
    EMBEDDINGS("embeddings");

    private final String tag;

    Endpoint(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
