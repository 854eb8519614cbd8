package dev.tollgate.functions.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * {@code tollgate.idempotency.*}: how long an {@code Idempotency-Key} is remembered ({@code ttl}, 24 h), how long a
 * running request keeps its claim before another attempt may take it over ({@code lease}: longer than the longest
 * request, i.e. {@code tollgate.stream.max-duration}, or a slow request could be taken over while it still runs), and
 * the largest answer kept for replay ({@code max-stored-bytes}; DynamoDB items are at most 400 KB).
 */
@ConfigurationProperties("tollgate.idempotency")
public class IdempotencyConfig {

    /** DynamoDB's item limit is 400 KB; the record's other attributes and the headers fit in the rest. */
    public static final int MAX_STORABLE_BYTES = 380_000;

    private Duration ttl = Duration.ofHours(24);
    private Duration lease = Duration.ofMinutes(15);
    private int maxStoredBytes = 350_000;

    public Duration getTtl() {
        return ttl;
    }

    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public int getMaxStoredBytes() {
        return maxStoredBytes;
    }

    public void setMaxStoredBytes(int maxStoredBytes) {
        if (maxStoredBytes < 0 || maxStoredBytes > MAX_STORABLE_BYTES) {
            throw new IllegalArgumentException("tollgate.idempotency.max-stored-bytes must be 0 to " + MAX_STORABLE_BYTES
                    + " (a DynamoDB item is at most 400 KB), not " + maxStoredBytes);
        }
        this.maxStoredBytes = maxStoredBytes;
    }
}
