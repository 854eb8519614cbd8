package dev.tollgate.metrics;

/**
 * How a request ended, as the {@code status} tag of {@code tollgate.requests}: a handful of values, so the series
 * stay few, where the ledger keeps the detailed status ({@code output_bound}, {@code upstream_timeout}, ...).
 */
public enum Outcome {
    /** Answered in full. */
    OK("ok"),
    /** Refused before any work: key, balance, budget, spend window, rate limit. */
    REFUSED("refused"),
    /** The request itself was wrong (bad JSON, unknown model, too long). */
    CLIENT_ERROR("client_error"),
    /** The upstream failed, before or during the answer, or timed out. */
    UPSTREAM_ERROR("upstream_error"),
    /** Tollgate ended a stream: its output bound, its maximum duration, a shutdown. */
    CUT("cut"),
    /** The caller went away mid-stream. */
    CANCELLED("cancelled");

    private static final Outcome[] ALL = values();

    private final String tag;

    Outcome(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    public static Outcome[] all() {
        return ALL;
    }

    /** The outcome of a settled request from the status its ledger entry records ({@code dev.tollgate.chat.StreamEnd}). */
    public static Outcome ofSettled(String status) {
        return switch (status) {
            case "ok" -> OK;
            case "client_disconnect" -> CANCELLED;
            case "upstream_error", "upstream_timeout" -> UPSTREAM_ERROR;
            default -> CUT; // output_bound, max_duration, shutdown
        };
    }

    /** The outcome of a request answered with an HTTP error before it was admitted (nothing settled). */
    public static Outcome ofRefusal(int httpStatus) {
        if (httpStatus == 401 || httpStatus == 402 || httpStatus == 403 || httpStatus == 429) {
            return REFUSED;
        }
        return httpStatus >= 500 ? UPSTREAM_ERROR : CLIENT_ERROR;
    }
}
