package dev.tollgate.windows;

import dev.tollgate.money.Money;
import java.time.Instant;

/**
 * A window's state: what is used in its current period (open holds and charges), and when the period ends.
 * A session window with no open session shows nothing used and the end a session started now would have.
 */
public record WindowUsage(SpendWindow window, Money used, Instant reset) {

    public Money limit() {
        return window.limit();
    }

    /** Never negative: a charge beyond its hold can take a window past its limit. */
    public Money remaining() {
        return window.limit().minus(used).max(Money.ZERO);
    }
}
