package dev.tollgate.billing;

import dev.tollgate.money.Money;

/**
 * The result of settling a request.
 *
 * @param charged       what was actually taken (the cost, or less when the balance or budget ran out)
 * @param shortfall     cost above the hold that the balance could not cover: it became the account's debt
 * @param balance       the account balance after settlement; {@code null} when the settlement was deferred to
 *                      the reconciler (see {@link #deferred})
 * @param alreadySettled true when this request had been settled before: nothing changed this time
 */
public record Settlement(Money charged, Money shortfall, Money balance, boolean alreadySettled) {

    /**
     * A settlement that could not be written now: {@code cost} is recorded on the hold and the reconciler charges
     * it. The balance after it is not known yet.
     */
    public static Settlement deferred(Money cost) {
        return new Settlement(cost, Money.ZERO, null, false);
    }

    public boolean isDeferred() {
        return balance == null;
    }
}
