package dev.tollgate.chat;

import dev.tollgate.billing.RequestBilling;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.money.Money;

/**
 * The most a hold of this key may be right now, as far as it can be known before taking one: auto routing skips
 * models whose hold would not fit. Only a filter: the hold's conditional write stays the judge, so a stale answer
 * costs a 403 or a dearer choice, never money.
 */
@FunctionalInterface
public interface SpendHeadroom {

    Money available(ApiKey key);

    /** The account's balance (open holds taken out, read now), or the key's remaining budget if that is less. */
    static SpendHeadroom of(RequestBilling billing) {
        return key -> {
            Money balance = billing.balance(key.accountId());
            Money budget = key.budgetRemaining();
            return budget == null ? balance : balance.min(budget);
        };
    }
}
