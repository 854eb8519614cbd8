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

    /**
     * The account's balance (open holds taken out, read now), or the key's remaining budget or the room left in a
     * spend window of its plan or its own if that is less (windows are read only for keys that have some).
     */
    static SpendHeadroom of(RequestBilling billing) {
        return key -> Headroom.read(billing, key).available();
    }
}
