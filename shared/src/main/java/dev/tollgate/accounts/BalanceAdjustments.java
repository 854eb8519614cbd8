package dev.tollgate.accounts;

import dev.tollgate.billing.BalanceStore;
import dev.tollgate.billing.Settlement;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerLookup;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import java.time.Clock;

/**
 * Operator use case: credit or debit an account, once per operator reference. The reference becomes
 * the ledger entry id {@code admin:<reference>}, so a retried call (a timeout, a double click) changes
 * nothing the second time. A debit larger than the balance takes it to zero and the rest becomes the
 * account's debt (reported as the shortfall): its keys are refused until credits pay it.
 */
public final class BalanceAdjustments {

    public static final int MAX_REFERENCE_LENGTH = 200;
    public static final int MAX_NOTE_LENGTH = 1000;

    private final AccountStore accounts;
    private final BalanceStore balances;
    private final LedgerLookup ledger;
    private final Clock clock;

    public BalanceAdjustments(AccountStore accounts, BalanceStore balances, LedgerLookup ledger, Clock clock) {
        this.accounts = accounts;
        this.balances = balances;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * What an adjustment did.
     *
     * @param entry     the ledger entry (for a duplicate, the original one), its amount as applied
     * @param shortfall the part of a debit the balance could not cover, now owed as debt; zero for a duplicate
     * @param balance   the account's balance afterwards
     * @param debt      what the account owes afterwards (its keys are refused while this is above zero)
     * @param duplicate true when the reference had been used before: nothing changed this time
     */
    public record Adjusted(LedgerEntry entry, Money requested, Money shortfall, Money balance, Money debt,
                           boolean duplicate) {
    }

    public Adjusted adjust(String accountId, Money amount, String reference, String note) {
        validate(amount, reference, note);
        accounts.find(accountId).orElseThrow(() -> AccountReader.notFound(accountId));
        String ref = reference.strip();
        LedgerType type = amount.isPositive() ? LedgerType.ADMIN_CREDIT : LedgerType.ADMIN_DEBIT;
        LedgerEntry wanted = LedgerEntry.of(accountId, "admin:" + ref, type, amount, clock.instant(), ref, note);
        Settlement settlement = balances.adjust(wanted);
        if (settlement.alreadySettled()) {
            LedgerEntry original = ledger.find(accountId, wanted.entryId())
                    .orElseThrow(() -> new IllegalStateException("duplicate adjustment without its entry: " + wanted.entryId()));
            requireSameAdjustment(original, wanted);
            BalanceStore.Funds funds = fundsOf(accountId);
            return new Adjusted(original, amount, Money.ZERO, funds.balance(), funds.debt(), true);
        }
        // A debit beyond the balance is written with a note saying what became debt: answer with the entry as stored.
        LedgerEntry applied = settlement.shortfall().isPositive()
                ? ledger.find(accountId, wanted.entryId()).orElseThrow(
                        () -> new IllegalStateException("adjustment without its entry: " + wanted.entryId()))
                : new LedgerEntry(accountId, wanted.entryId(), type, settlement.charged(), wanted.at(), null, ref, note, null);
        BalanceStore.Funds funds = fundsOf(accountId);
        return new Adjusted(applied, amount, settlement.shortfall(), funds.balance(), funds.debt(), false);
    }

    /** Balance and debt from one read, so the answer shows both as they are after the change. */
    private BalanceStore.Funds fundsOf(String accountId) {
        return balances.funds(accountId).orElseThrow(() -> AccountReader.notFound(accountId));
    }

    private static void validate(Money amount, String reference, String note) {
        if (amount.isZero() || AccountService.MAX_CREDIT.lessThan(amount) || AccountService.MAX_CREDIT.lessThan(amount.negate())) {
            throw ApiException.invalid("amount_usd", "'amount_usd' must be a non-zero dollar amount between -"
                    + AccountService.MAX_CREDIT.toDollars() + " and " + AccountService.MAX_CREDIT.toDollars()
                    + ": positive credits the account, negative (e.g. \"-1.00\") debits it.");
        }
        if (!validReference(reference)) {
            throw ApiException.invalid("reference", "'reference' must be a non-empty string of at most "
                    + MAX_REFERENCE_LENGTH + " characters, e.g. a ticket or invoice number. It makes the change "
                    + "happen once: repeating a reference changes nothing.");
        }
        if (note != null && note.length() > MAX_NOTE_LENGTH) {
            throw ApiException.invalid("note", "'note' must be at most " + MAX_NOTE_LENGTH + " characters.");
        }
    }

    /** An operator reference: non-blank, at most {@link #MAX_REFERENCE_LENGTH} characters once stripped, no control characters. */
    static boolean validReference(String reference) {
        return reference != null && !reference.isBlank() && reference.strip().length() <= MAX_REFERENCE_LENGTH
                && reference.chars().noneMatch(Character::isISOControl);
    }

    /**
     * A reused reference must mean the same change. A debit may have been applied only in part (the
     * balance ran out), so a smaller applied debit still matches; anything else is a different change.
     */
    private static void requireSameAdjustment(LedgerEntry original, LedgerEntry wanted) {
        boolean same = original.type() == wanted.type() && (original.amount().equals(wanted.amount())
                || (wanted.type() == LedgerType.ADMIN_DEBIT && !original.amount().lessThan(wanted.amount())));
        if (!same) {
            throw new ApiException(ErrorCode.CONFLICT, "The reference '" + wanted.reference() + "' was already used on "
                    + original.at() + " for a " + original.type().wire() + " of " + original.amount().display()
                    + ". Use a new reference for a different change.", "reference");
        }
    }
}
