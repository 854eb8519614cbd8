package dev.tollgate.topups;

import java.util.Locale;

/** Where a top-up order is in its life. Only {@link #PAID} ever credited the account. */
public enum TopUpState {
    /** Written before the Checkout Session exists; waiting for the customer to pay. */
    PENDING,
    /** Paid and credited, exactly once. Refunds and lost disputes are recorded on the paid order. */
    PAID,
    /** The Checkout Session expired unpaid. */
    EXPIRED,
    /** The payment failed (an asynchronous method was declined) or the session could not be created. */
    FAILED,
    /** Paid, but what Stripe reports does not match the order (amount, currency, account): not credited. */
    REVIEW;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TopUpState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
