package dev.tollgate.ledger;

import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * One change to an account balance. {@code entryId} is the idempotency key of the change (a request
 * id, a Stripe event id, an operator's reference): a second change with the same id is refused, so the
 * sum of an account's entries always equals its balance (counting what open holds took out of it).
 *
 * @param amount     signed: positive credits, negative charges
 * @param request    what a {@link LedgerType#CHARGE} was for; {@code null} for other entries
 * @param debtChange what the account's debt moved in the same write, signed: positive when part of a debit could not
 *                   be taken from the balance and is owed, negative when debt was paid; zero for most entries. (A
 *                   request's debt is its {@link RequestDetails#shortfall()}.)
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
        RequestDetails request,
        Money debtChange) {

    public LedgerEntry {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(at, "at");
        debtChange = debtChange == null ? Money.ZERO : debtChange;
    }

    /** An entry that moved no debt. */
    public LedgerEntry(String accountId, String entryId, LedgerType type, Money amount, Instant at, String keyId,
                       String reference, String note, RequestDetails request) {
        this(accountId, entryId, type, amount, at, keyId, reference, note, request, Money.ZERO);
    }

    /** An operator or payment entry, with no request details. */
    public static LedgerEntry of(String accountId, String entryId, LedgerType type, Money amount, Instant at,
                                 String reference, String note) {
        return new LedgerEntry(accountId, entryId, type, amount, at, null, reference, note, null);
    }

    /** This entry, recording that the account's debt moved by {@code change} with it. */
    public LedgerEntry withDebtChange(Money change) {
        return new LedgerEntry(accountId, entryId, type, amount, at, keyId, reference, note, request, change);
    }
}
