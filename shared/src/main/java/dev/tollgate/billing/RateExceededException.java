package dev.tollgate.billing;

import java.time.Instant;

/** The key's requests or tokens in this minute, counted across all instances, are at its limit until {@link #reset()}. */
public final class RateExceededException extends RuntimeException {

    /** Which limit refused. */
    public enum Limit { REQUESTS, TOKENS }

    private final Limit limit;
    private final long allowed;
    private final Instant reset;

    public RateExceededException(Limit limit, long allowed, Instant reset) {
        super(limit + " per minute: " + allowed, null, false, false);
        this.limit = limit;
        this.allowed = allowed;
        this.reset = reset;
    }

    public Limit limit() {
        return limit;
    }

    public long allowed() {
        return allowed;
    }

    public Instant reset() {
        return reset;
    }
}
