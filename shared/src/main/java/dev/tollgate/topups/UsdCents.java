package dev.tollgate.topups;

import dev.tollgate.money.Money;

/**
 * Stripe counts US dollars in integer cents; Tollgate in micro-dollars. One cent is exactly 10,000 µ$, so
 * the conversion is exact both ways for whole cents, and a top-up amount must be whole cents.
 */
public final class UsdCents {

    public static final long MICROS_PER_CENT = 10_000;

    private UsdCents() {
    }

    public static Money toMoney(long cents) {
        return Money.ofMicros(Math.multiplyExact(cents, MICROS_PER_CENT));
    }

    /** The amount in cents; throws if it is not a whole number of cents. */
    public static long of(Money amount) {
        if (!isWholeCents(amount)) {
            throw new IllegalArgumentException(amount + " is not a whole number of cents");
        }
        return amount.micros() / MICROS_PER_CENT;
    }

    public static boolean isWholeCents(Money amount) {
        return amount.micros() % MICROS_PER_CENT == 0;
    }
}
