package dev.tollgate.windows;

import dev.tollgate.money.Money;
import java.util.Objects;

/** The most that may be spent in one window: a plan's or a key's. */
public record WindowLimit(Window window, Money limit) {

    public WindowLimit {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative()) {
            throw new IllegalArgumentException("a window limit cannot be negative: " + limit);
        }
    }
}
