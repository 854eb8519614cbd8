package dev.tollgate.alerts;

import dev.tollgate.money.Money;
import java.time.Instant;

/**
 * Where an account's alerts go.
 *
 * @param url           the customer's webhook URL, or null: alerts are then only listed
 * @param secret        the signing secret ({@code whsec_...}), shown once when created or rotated
 * @param lowBalance    the balance under which {@code low_balance} is raised, or null for none
 * @param lowBalanceArmed the balance was last seen at or above {@code lowBalance}
 * @param version       optimistic lock, like {@link dev.tollgate.autotopup.AutoTopUp#version()}
 */
public record AlertSettings(String accountId, String url, String secret, Money lowBalance, boolean lowBalanceArmed,
                            long version, Instant updatedAt) {

    public static AlertSettings none(String accountId) {
        return new AlertSettings(accountId, null, null, null, false, 0, null);
    }

    public AlertSettings with(String url, String secret, Money lowBalance, boolean armed, Instant at) {
        return new AlertSettings(accountId, url, secret, lowBalance, armed, version, at);
    }
}
