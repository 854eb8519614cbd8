package dev.tollgate.windows;

import dev.tollgate.money.Money;
import java.time.Instant;

/** A hold was refused because a spend window cannot take it before {@link #reset()}. */
public final class WindowExceededException extends RuntimeException {

    private final SpendWindow window;
    private final Money used;
    private final Instant reset;

    /**
     * @param used what the window had used when it refused; {@code null} when the hold alone is more than the limit
     *             (refused without a write)
     */
    public WindowExceededException(SpendWindow window, Money used, Instant reset) {
        super(window.describe() + " is full", null, false, false);
        this.window = window;
        this.used = used;
        this.reset = reset;
    }

    public SpendWindow window() {
        return window;
    }

    public Money used() {
        return used;
    }

    public Instant reset() {
        return reset;
    }
}
