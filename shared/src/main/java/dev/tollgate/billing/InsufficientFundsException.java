package dev.tollgate.billing;

import dev.tollgate.money.Money;

/** A hold was refused: the account balance or the key budget cannot cover the request's maximum cost. */
public final class InsufficientFundsException extends Exception {

    /** Which limit refused the hold. */
    public enum Limit { ACCOUNT_BALANCE, KEY_BUDGET }

    private final Limit limit;
    private final Money available;

    public InsufficientFundsException(Limit limit, Money available) {
        super(limit + " has " + available, null, false, false);
        this.limit = limit;
        this.available = available;
    }

    public Limit limit() {
        return limit;
    }

    /** What the limit had left when the hold was refused. */
    public Money available() {
        return available;
    }
}
