package dev.tollgate.billing;

import dev.tollgate.money.Money;
import java.time.Instant;

/**
 * Money reserved for one request before it reaches the upstream: the request's maximum cost, taken
 * from the account balance (and the key's remaining budget, when the key has one) until settlement.
 *
 * @param holdId       the request id; also the idempotency key of the settlement's ledger entry
 * @param keyHash      the key's stored hash, which addresses its item
 * @param keyBudgeted  whether the hold was also taken from the key's own item (always, for holds taken since every
 *                     hold is conditioned on the key as stored; older holds may say false)
 * @param expiresAt    after this the reconciler may release the hold (the request crashed or hung)
 * @param keyName      the key's name, for the request log when the reconciler settles the hold
 * @param streamed     whether the request streams, for the request log likewise
 * @param inHeldTotal  whether the hold is counted in the account's {@code held} total (every hold taken since that
 *                     total exists; older holds say false and leave it alone when they close)
 * @param counters     the spend-window and per-minute items the hold was also counted in, which its settlement or
 *                     release corrects by exactly what it returns
 */
public record Hold(String holdId, String accountId, String keyId, String keyHash, boolean keyBudgeted, Money amount,
                   String model, Instant createdAt, Instant expiresAt, String keyName, boolean streamed,
                   boolean inHeldTotal, HoldCounters counters) {

    public Hold {
        counters = counters == null ? HoldCounters.NONE : counters;
    }

    /** A hold counted in no window and no per-minute counter. */
    public Hold(String holdId, String accountId, String keyId, String keyHash, boolean keyBudgeted, Money amount,
                String model, Instant createdAt, Instant expiresAt, String keyName, boolean streamed,
                boolean inHeldTotal) {
        this(holdId, accountId, keyId, keyHash, keyBudgeted, amount, model, createdAt, expiresAt, keyName, streamed,
                inHeldTotal, HoldCounters.NONE);
    }

    /** A hold of an unnamed key's buffered request, counted in the account's held total and in no window. */
    public Hold(String holdId, String accountId, String keyId, String keyHash, boolean keyBudgeted, Money amount,
                String model, Instant createdAt, Instant expiresAt) {
        this(holdId, accountId, keyId, keyHash, keyBudgeted, amount, model, createdAt, expiresAt, null, false, true);
    }

    public Hold withCounters(HoldCounters counters) {
        return new Hold(holdId, accountId, keyId, keyHash, keyBudgeted, amount, model, createdAt, expiresAt, keyName,
                streamed, inHeldTotal, counters);
    }
}
