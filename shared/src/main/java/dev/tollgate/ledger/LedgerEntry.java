package dev.tollgate.ledger;

import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * One change to an account balance. {@code entryId} is the idempotency key of the change (a request
 * id, a Stripe event id, an operator's reference): a second change with the same id is refused, so the
 * sum of an account's entries always equals its balance.
 *
 * @param amount  signed: positive credits, negative charges
 * @param request what a {@link LedgerType#CHARGE} was for; {@code null} for other entries
 */
public record LedgerEntry(
        String accountId,
        String entryId,
        LedgerType type,
        Money amount,
        Instant at,
        String keyId,
        String reference,
        String note,
        RequestDetails request) {

    public LedgerEntry {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(at, "at");
    }

    /** An operator or payment entry, with no request details. */
    public static LedgerEntry of(String accountId, String entryId, LedgerType type, Money amount, Instant at,
                                 String reference, String note) {
        return new LedgerEntry(accountId, entryId, type, amount, at, null, reference, note, null);
    }
}
