package dev.tollgate.chat;

import dev.tollgate.billing.RequestBilling;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.money.Money;
import dev.tollgate.windows.WindowUsage;
import java.util.List;

/**
 * What a key may still spend, read now, limit by limit: auto routing and afford mode size requests to it, quotes
 * show it. A read, not a reservation: the hold's conditional write stays the judge.
 *
 * @param balance   the account's balance with its open holds taken out
 * @param keyBudget what is left of the key's budget as this instance knows it, or {@code null} for no budget
 * @param windows   the tightest spend windows of the key's plan and its own (none for keys without windows)
 */
public record Headroom(Money balance, Money keyBudget, List<WindowUsage> windows) {

    public Headroom {
        windows = List.copyOf(windows);
    }

    public static Headroom read(RequestBilling billing, ApiKey key) {
        return new Headroom(billing.balance(key.accountId()), key.budgetRemaining(),
                billing.windowsNow(billing.windowsOf(key), "headroom"));
    }

    /** The least of the limits: the most one hold may be. */
    public Money available() {
        Money available = keyBudget == null ? balance : balance.min(keyBudget);
        for (WindowUsage window : windows) {
            available = available.min(window.remaining());
        }
        return available;
    }
}
