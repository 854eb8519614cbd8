package dev.tollgate.idempotency;

import java.time.Instant;
import java.util.Optional;

/** Where idempotency records live (DynamoDB: items of the holds table). Every write is conditional. */
public interface IdempotencyStore {

    /**
     * Claims {@code claim}'s key for its account if no record holds it (a record expired at {@code now} holds
     * nothing); otherwise returns the record that does, unchanged.
     */
    Optional<IdempotencyRecord> claim(IdempotencyRecord claim, Instant now);

    /** Moves an {@code IN_PROGRESS} record from {@code stale}'s owner to {@code next}'s; false if another attempt moved it first. */
    boolean takeOver(IdempotencyRecord stale, IdempotencyRecord next);

    /** Ends the claim held by {@code claim.owner()} with {@code state}; false if the claim is no longer this owner's. */
    boolean finish(IdempotencyRecord claim, IdempotencyRecord.State state, StoredResponse response);

    /** Deletes the claim held by {@code claim.owner()}, so the key can run again; false if it is no longer this owner's. */
    boolean release(IdempotencyRecord claim);

    /**
     * What billing recorded for the request id: its hold (then a charge may exist) and whether it was given back
     * whole; a request charged without a hold (in-process embeddings, free models) reads as {@code SETTLED} once
     * its ledger entry exists.
     */
    HoldState holdOf(String accountId, String requestId);

    /** What billing recorded for a request id. */
    enum HoldState {
        /** No hold: nothing was reserved, so nothing can be charged (or the model was free). */
        NONE,
        /** Reserved, not yet settled: a charge may still come (a settle retry or the reconciler). */
        OPEN,
        /** Given back whole: released, or settled at zero because nothing reached the caller. */
        RELEASED,
        /** Settled with a charge (or a request charged without a hold). */
        SETTLED
    }
}
