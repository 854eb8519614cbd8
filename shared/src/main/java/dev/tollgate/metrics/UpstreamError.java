package dev.tollgate.metrics;

/** The {@code kind} tag of {@code tollgate.upstream.errors}. */
public enum UpstreamError {
    CONNECT("connect"),
    TIMEOUT("timeout"),
    STATUS_5XX("status_5xx"),
    STATUS_4XX("status_4xx"),
    PROTOCOL("protocol");

    private static final UpstreamError[] ALL = values();

    private final String tag;

    UpstreamError(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    public static UpstreamError[] all() {
        return ALL;
    }
}
