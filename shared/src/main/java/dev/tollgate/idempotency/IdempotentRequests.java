package dev.tollgate.idempotency;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.idempotency.IdempotencyRecord.State;
import dev.tollgate.idempotency.IdempotencyStore.HoldState;
import dev.tollgate.keys.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of {@code Idempotency-Key} on billed POSTs, per account:
 * <ul>
 *   <li>the first request claims the key (a conditional put) with a new request id and runs under that id;</li>
 *   <li>a retry with the same fingerprint gets the stored answer, a 409 while the first still runs (or when its
 *       answer cannot be replayed); another fingerprint is a 422;</li>
 *   <li>an answer that charged nothing (a refusal, an upstream failure before anything was taken) releases the key
 *       so the retry runs; any answer that may have charged is kept;</li>
 *   <li>a claim whose attempt died is taken over after its lease, under the same request id: billing opens one hold
 *       per request id, ever, so the takeover either runs the only attempt that reserves or finds the dead one's hold
 *       and refuses (409) rather than run it twice.</li>
 * </ul>
 */
public final class IdempotentRequests {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "idempotent-replayed";
    static final int MAX_KEY_LENGTH = 255;
    /** A retry of a running request is told to come back this soon: most buffered answers take a few seconds. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(IdempotentRequests.class);

    private final IdempotencyStore store;
    private final Clock clock;
    private final Duration lease;
    private final Duration ttl;
    private final int maxStoredBytes;

    /**
     * @param lease          how long a claim is left to its attempt; must exceed the longest request (a stream's
     *                       maximum duration), or a slow attempt would be taken over while it runs
     * @param ttl            how long a key is remembered (24 h)
     * @param maxStoredBytes the largest answer kept; a larger one is recorded as {@code NOT_STORED}
     */
    public IdempotentRequests(IdempotencyStore store, Clock clock, Duration lease, Duration ttl, int maxStoredBytes) {
        this.store = store;
        this.clock = clock;
        this.lease = lease;
        this.ttl = ttl;
        this.maxStoredBytes = maxStoredBytes;
    }

    /** What to do with a request that carries a key. */
    public sealed interface Begin {
        /** Run it under {@code claim.requestId()}, then report the answer with the claim. */
        record Run(IdempotencyRecord claim) implements Begin {
        }

        /** Answer this stored response again. */
        record Replay(StoredResponse response, String requestId) implements Begin {
        }
    }

    /** The key as sent: 1 to 255 printable ASCII characters, else 400. */
    public static String validKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH
                || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "The " + HEADER + " header must be 1 to " + MAX_KEY_LENGTH
                    + " printable ASCII characters (a UUID is a good choice).", HEADER);
        }
        return key;
    }

    /** Claims the key or says how to answer; throws the 409/422 refusals. */
    public Begin begin(String accountId, String key, String fingerprint) {
        validKey(key);
        for (int attempt = 0; attempt < 5; attempt++) {
            Instant now = clock.instant();
            IdempotencyRecord claim = new IdempotencyRecord(accountId, key, fingerprint, Ids.requestId(now),
                    Ids.newId("idem"), State.IN_PROGRESS, now.plus(lease), now.plus(ttl), null);
            Optional<IdempotencyRecord> held = store.claim(claim, now);
            if (held.isEmpty()) {
                return new Begin.Run(claim);
            }
            IdempotencyRecord existing = held.get();
            if (!existing.fingerprint().equals(fingerprint)) {
                throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "This " + HEADER + " was already used for a "
                        + "different request (another body, endpoint or parameters) in the last " + ttl.toHours()
                        + " h. Send the same request to get its answer, or use a new key for a new request.", HEADER);
            }
            switch (existing.state()) {
                case COMPLETED:
                    return new Begin.Replay(existing.response(), existing.requestId());
                case NOT_STORED:
                    throw unavailable(existing, "completed, but its answer was too large to keep for replay; it is not"
                            + " run again");
                case INTERRUPTED:
                    throw unavailable(existing, "was interrupted after billing reserved for it (the client left a "
                            + "stream, or the attempt stopped); it may have been charged for what was produced and is "
                            + "not run again");
                default:
                    break;
            }
            if (existing.leaseUntil().isAfter(now)) {
                throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_IN_USE, "A request with this " + HEADER + " is still "
                        + "running (request id " + existing.requestId() + "). Retry after a moment to get its answer; "
                        + "a stream is answered once it has finished.", HEADER,
                        Map.of("Retry-After", Long.toString(RETRY_AFTER.toSeconds())), null);
            }
            Optional<Begin> taken = takeOver(existing, now);
            if (taken.isPresent()) {
                return taken.get();
            }
        }
        throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_IN_USE, "Too many attempts are using this " + HEADER
                + " at once. Retry after a moment.", HEADER, Map.of("Retry-After", "1"), null);
    }

    /**
     * The attempt holding {@code stale} is past its lease (its process died). Take the claim; run the request under
     * the same id unless billing already holds money for it, which means the dead attempt got as far as the upstream.
     */
    private Optional<Begin> takeOver(IdempotencyRecord stale, Instant now) {
        IdempotencyRecord next = stale.withOwner(Ids.newId("idem"), now.plus(lease));
        if (!store.takeOver(stale, next)) {
            return Optional.empty();
        }
        HoldState hold = store.holdOf(next.accountId(), next.requestId());
        if (hold == HoldState.NONE) {
            LOG.info("idempotency key of account {}: took over request {} whose attempt stopped before billing",
                    next.accountId(), next.requestId());
            return Optional.of(new Begin.Run(next));
        }
        store.finish(next, State.INTERRUPTED, null);
        throw unavailable(next, "was interrupted after billing reserved for it (the attempt stopped); it may have been"
                + " charged for what was produced and is not run again");
    }

    private ApiException unavailable(IdempotencyRecord record, String what) {
        return new ApiException(ErrorCode.IDEMPOTENT_RESPONSE_UNAVAILABLE, "The request with this " + HEADER + " "
                + what + " (request id " + record.requestId() + "; GET /v1/requests shows what it cost). Use a new "
                + "key to run it again.", HEADER);
    }

    /** A successful answer: kept for replay, or recorded as too large to keep. */
    public void succeeded(IdempotencyRecord claim, StoredResponse response) {
        boolean fits = response.body().length <= maxStoredBytes;
        if (!store.finish(claim, fits ? State.COMPLETED : State.NOT_STORED, fits ? response : null)) {
            LOG.warn("idempotency key of account {}: request {} finished after its claim was taken over; its answer "
                    + "is not kept", claim.accountId(), claim.requestId());
        }
    }

    /**
     * An error answer. If billing shows the request cannot be charged (no hold, or its hold given back whole) the key
     * is released and a retry runs afresh; otherwise (a settled or still open hold) the error is the final answer.
     */
    public void failed(IdempotencyRecord claim, StoredResponse response) {
        HoldState hold = store.holdOf(claim.accountId(), claim.requestId());
        if (hold == HoldState.NONE || hold == HoldState.RELEASED) {
            store.release(claim);
        } else {
            succeeded(claim, response);
        }
    }

    /**
     * A stream that ran to its end (its settlement is done by then): kept for replay, unless billing released its
     * hold whole (it failed before its first token), which frees the key for a retry like a failed buffered request.
     */
    public void streamEnded(IdempotencyRecord claim, StoredResponse response) {
        if (store.holdOf(claim.accountId(), claim.requestId()) == HoldState.RELEASED) {
            store.release(claim);
        } else {
            succeeded(claim, response);
        }
    }

    /** The largest answer kept for replay, in bytes. */
    public int maxStoredBytes() {
        return maxStoredBytes;
    }

    /** A stream the client left, or whose relay failed: it may have been charged; retries are refused. */
    public void interrupted(IdempotencyRecord claim) {
        store.finish(claim, State.INTERRUPTED, null);
    }

    /** The attempt failed in a way that produced no answer at all (an exception through the filter chain). */
    public void abandoned(IdempotencyRecord claim) {
        HoldState hold = store.holdOf(claim.accountId(), claim.requestId());
        if (hold == HoldState.NONE || hold == HoldState.RELEASED) {
            store.release(claim);
        } else {
            interrupted(claim);
        }
    }
}
