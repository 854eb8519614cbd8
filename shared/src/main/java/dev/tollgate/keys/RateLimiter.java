package dev.tollgate.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests-per-minute limits per key, as a token bucket kept in one number per key (the generic cell
 * rate algorithm): a key with limit N may burst N requests, then regains one every 60/N seconds. Unlike
 * a fixed window it never lets 2N requests through around a window boundary, and unlike a log of
 * timestamps it costs O(1) memory per key.
 *
 * <p><b>The count is per instance.</b> On AWS every Lambda execution environment (and every local
 * server process) keeps its own counters, so this alone would let a key reach K × N requests per minute on K
 * warm instances. It stops a burst on one instance cheaply and feeds the {@code x-ratelimit-*} headers; the limit
 * across instances is billing's per-minute counter in DynamoDB ({@code RequestRate}), which every request of a key
 * with an {@code rpm_limit} or {@code tpm_limit} passes as well.
 */
public final class RateLimiter {

    private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();

    private final Clock clock;
    private final int maxTrackedKeys;
    /** Per key, the "theoretical arrival time": when the bucket is full again, in epoch nanoseconds. */
    private final Map<String, Long> fullAt = new ConcurrentHashMap<>();

    /** One check. {@code reset} is when the bucket is full again; {@code retryAfter} is zero when allowed. */
    public record Decision(boolean allowed, int limit, int remaining, Duration reset, Duration retryAfter) {
    }

    /**
     * @param maxTrackedKeys above this many keys, keys whose bucket is full are forgotten (which changes
     *                       nothing: a full bucket and an unknown key behave alike)
     */
    public RateLimiter(Clock clock, int maxTrackedKeys) {
        this.clock = clock;
        this.maxTrackedKeys = maxTrackedKeys;
    }

    /** Takes one request from the key's bucket if there is one left; {@code limit} is per minute, at least 1. */
    public Decision acquire(String keyId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        long now = nanos(clock.instant());
        long interval = WINDOW_NANOS / limit;
        long window = interval * limit;
        Decision[] decision = new Decision[1];
        fullAt.compute(keyId, (key, stored) -> {
            long base = stored == null ? now : Math.max(stored, now);
            long next = base + interval;
            if (next - now > window) {
                decision[0] = new Decision(false, limit, 0, Duration.ofNanos(base - now), Duration.ofNanos(next - window - now));
                return stored;
            }
            int remaining = (int) ((window - (next - now)) / interval);
            decision[0] = new Decision(true, limit, remaining, Duration.ofNanos(next - now), Duration.ZERO);
            return next;
        });
        forgetFullBucketsIfLarge(now);
        return decision[0];
    }

    /** How many keys are tracked now (for tests and metrics). */
    public int trackedKeys() {
        return fullAt.size();
    }

    private void forgetFullBucketsIfLarge(long now) {
        if (fullAt.size() > maxTrackedKeys) {
            fullAt.entrySet().removeIf(e -> e.getValue() <= now);
        }
    }

    private static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
