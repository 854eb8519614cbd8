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
 */
public record Hold(String holdId, String accountId, String keyId, String keyHash, boolean keyBudgeted, Money amount,
                   String model, Instant createdAt, Instant expiresAt, String keyName, boolean streamed,
                   boolean inHeldTotal) {

    /** A hold of an unnamed key's buffered request, counted in the account's held total. */
    public Hold(String holdId, String accountId, String keyId, String keyHash, boolean keyBudgeted, Money amount,
                String model, Instant createdAt, Instant expiresAt) {
        this(holdId, accountId, keyId, keyHash, keyBudgeted, amount, model, createdAt, expiresAt, null, false, true);
    }
}
