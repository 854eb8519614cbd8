package dev.tollgate.billing;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import java.time.Duration;
import java.util.Map;

/**
 * The account already has as many streams open as it may have at once ({@link StreamSlots}). A 429
 * {@code rate_limit_exceeded} with {@code Retry-After}, so OpenAI SDKs wait and retry by themselves.
 */
public final class TooManyStreamsException extends ApiException {

    private final int cap;
    private final long retryAfterSeconds;

    /** @param retryAfter when to try again; whole seconds, at least one, are sent */
    public TooManyStreamsException(int cap, Duration retryAfter) {
        this(cap, Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }

    private TooManyStreamsException(int cap, long seconds) {
        super(ErrorCode.RATE_LIMIT_EXCEEDED, "This account already has " + cap + " streams open, the most it may have at "
                + "once. Retry after " + seconds + " s, when one of them has finished; end streams you no longer read "
                + "(closing the connection ends a stream and frees its place), or send the request without "
                + "\"stream\": true. The limit is per account, across all its keys; the operator can raise it.",
                null, Map.of("Retry-After", Long.toString(seconds)), null);
        this.cap = cap;
        this.retryAfterSeconds = seconds;
    }

    /** The most streams the account may have open at once. */
    public int cap() {
        return cap;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
