package dev.tollgate.topups;

import java.util.Locale;

/**
 * Where a dispute leaves its top-up's money. A dispute is held from the moment Stripe reports it (a stolen
 * card could otherwise top up and spend everything before the dispute is lost weeks later) until Stripe
 * reports it won; then it is released, for good: a dispute never reopens, so a release that arrives
 * before the event that opened it means nothing is ever taken.
 */
public enum DisputeTarget {
    /** The disputed amount is taken from the account (opened, funds withdrawn, or lost). */
    HELD,
    /** Nothing is taken: what a hold took is given back (won, funds reinstated, inquiry closed). */
    RELEASED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
