package dev.tollgate.billing;

import java.time.Instant;

/**
 * Port: how many streams each account may have open at once, counted across every instance, so that one
 * customer's streams cannot take all of a deployment's upstream capacity.
 *
 * <p>A slot is a lease: it is freed by {@link #release}, or, if the process holding it dies first, once its
 * {@code leaseUntil} has passed (the next acquire refused by the cap reclaims it). So a crash never keeps a
 * slot taken for longer than its lease.
 */
public interface StreamSlots {

    /** No cap: nothing is counted and nothing is stored. */
    StreamSlots UNLIMITED = new StreamSlots() {
        @Override
        public Slot acquire(String accountId, String requestId, Instant now, Instant leaseUntil) {
            return new Slot(accountId, requestId, leaseUntil);
        }

        @Override
        public void release(String accountId, String requestId) {
            // nothing was taken
        }
    };

    /**
     * One open stream of an account, counted until it is released or {@code leaseUntil} has passed.
     *
     * @param leaseUntil when the slot frees itself if it was never released; at least the stream's deadline
     */
    record Slot(String accountId, String requestId, Instant leaseUntil) {
    }

    /**
     * Takes a slot for the request, or throws when the account already has as many streams open as it may.
     * Acquiring again for a request that holds a slot returns it and takes nothing more.
     *
     * @param now        the time leases are judged expired against
     * @param leaseUntil when the slot frees itself should {@link #release} never be called (a crash): the
     *                   stream's deadline plus a margin, so a stream never outlives its slot
     * @throws TooManyStreamsException 429 {@code rate_limit_exceeded} with {@code Retry-After}
     */
    Slot acquire(String accountId, String requestId, Instant now, Instant leaseUntil) throws TooManyStreamsException;

    /**
     * Frees the request's slot. Idempotent: a second release, or one for a request that holds no slot, changes
     * nothing. A store failure is logged, not thrown: the slot then frees itself when its lease ends.
     */
    void release(String accountId, String requestId);

    /**
     * Moves the end of a held slot's lease to {@code leaseUntil}: one write where giving the slot back and taking
     * another would be two. False, and nothing changed, when the request holds no slot (released, or reclaimed
     * once its lease had ended); the caller then takes a new one. A store that cannot extend answers false.
     */
    default boolean extend(String accountId, String requestId, Instant leaseUntil) {
        return false;
    }

    /** The process is stopping (after its streams were drained): slots held for later are given back. */
    default void close() {
    }
}
