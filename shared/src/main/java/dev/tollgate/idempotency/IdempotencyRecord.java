package dev.tollgate.idempotency;

import java.time.Instant;

/**
 * One account's use of one {@code Idempotency-Key}. {@code owner} names the attempt that holds the claim (a takeover
 * after a crash gets a new one, so a late write of the dead attempt cannot overwrite the record); {@code requestId}
 * stays the same across takeovers, so every attempt of the key is the same request to billing.
 *
 * @param leaseUntil while {@code IN_PROGRESS}, the claim is left alone until then; after it, another attempt may take over
 * @param expiresAt  when the record stops counting (DynamoDB's TTL deletes it some time later)
 * @param response   the answer to replay ({@code COMPLETED} only)
 */
public record IdempotencyRecord(String accountId, String key, String fingerprint, String requestId, String owner,
                                State state, Instant leaseUntil, Instant expiresAt, StoredResponse response) {

    /** Where the request of a key stands. */
    public enum State {
        /** Claimed, running (or its process died; see {@code leaseUntil}). */
        IN_PROGRESS,
        /** Finished; {@code response} is replayed to retries. */
        COMPLETED,
        /** Finished, but its answer was too large to keep: retries are refused, never run again. */
        NOT_STORED,
        /** A stream the client left, or an attempt that died after its hold was taken: it may have been charged. */
        INTERRUPTED
    }

    public IdempotencyRecord withOwner(String newOwner, Instant newLease) {
        return new IdempotencyRecord(accountId, key, fingerprint, requestId, newOwner, state, newLease, expiresAt, response);
    }
}
