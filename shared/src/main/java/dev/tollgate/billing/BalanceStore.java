package dev.tollgate.billing;

import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.money.Money;
import dev.tollgate.windows.SpendWindow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: the only way a balance changes. Every method is one conditional write (a transaction where
 * several items change) carrying an idempotency key, and every change leaves a ledger entry.
 */
public interface BalanceStore {

    /**
     * Takes {@code hold.amount()} from the account balance (and from the key's remaining budget when
     * {@code hold.keyBudgeted()}) and records the hold, only if both cover it.
     */
    void reserve(Hold hold) throws InsufficientFundsException;

    /**
     * {@link #reserve(Hold)}, and in the same conditional write counts the hold in each spend window (refused with
     * {@link dev.tollgate.windows.WindowExceededException} when one cannot take it) and the request in the key's
     * per-minute counter ({@link RateExceededException}). Returns the hold as recorded, with the items it was counted
     * in ({@link Hold#counters()}) for its settlement.
     *
     * @param rate the key's per-minute limits, or {@code null} when it has none
     */
    default Hold reserve(Hold hold, List<SpendWindow> windows, RequestRate rate) throws InsufficientFundsException {
        if (!windows.isEmpty() || rate != null) {
            throw new UnsupportedOperationException("this store keeps no spend windows or per-minute counters");
        }
        reserve(hold);
        return hold;
    }

    /**
     * Counts a request that takes no hold (a free model) in the key's per-minute counter, in one conditional write.
     *
     * @return the counter's id, for {@link #settleRate}
     */
    default String countRate(RequestRate rate, Instant now) {
        throw new UnsupportedOperationException("this store keeps no per-minute counters");
    }

    /** Gives back to a per-minute counter the tokens a request counted but did not use (negative: used more). */
    default void settleRate(String rateItem, long unusedTokens) {
        throw new UnsupportedOperationException("this store keeps no per-minute counters");
    }

    /**
     * Closes the hold: charges the actual cost, returns the rest, appends the ledger entry and bumps
     * the usage counters, all at once. A cost above the hold is taken from the balance as far as it goes and
     * the rest becomes the account's debt ({@link Settlement#shortfall()}): the balance never goes below zero,
     * and nothing is written off. Settling the same hold twice changes nothing the second time.
     */
    Settlement settle(Hold hold, Charge charge);

    /**
     * Records on the open hold what its request has delivered so far (or, {@code due}, the final charge whose
     * settlement failed, due to the reconciler at once), so that a hold whose request never settles is charged
     * for it rather than released for free. Does nothing once the hold is closed.
     */
    void recordProgress(Hold hold, Charge soFar, boolean due);

    /** The charge last recorded on a hold by {@link #recordProgress}, if any. */
    Optional<Charge> recordedCharge(Hold hold);

    /** Meters a request that took no hold (a free model): ledger entry of zero and usage counters. */
    Settlement record(Charge charge);

    /**
     * Charges a request whose exact cost is known before it runs (an in-process embedding), with no hold:
     * takes {@code charge.cost()} from the account balance (and from the key's remaining budget when
     * {@code keyBudgeted}), appends the ledger entry and bumps the usage counters, all in one conditional
     * write that is refused whole if the balance or the budget cannot cover the cost (or, as for
     * {@link #reserve}, while the account owes money). Charging the same request id again changes nothing
     * ({@link Settlement#alreadySettled()}).
     *
     * @param keyHash the key's stored hash, which addresses its item
     */
    Settlement charge(Charge charge, String keyHash, boolean keyBudgeted) throws InsufficientFundsException;

    /**
     * {@link #charge(Charge, String, boolean)}, and in the same write counts the cost in each spend window and the
     * request in the key's minute, refused like {@link #reserve(Hold, List, RequestRate)}.
     */
    default Settlement charge(Charge charge, String keyHash, boolean keyBudgeted, List<SpendWindow> windows,
                              RequestRate rate) throws InsufficientFundsException {
        if (!windows.isEmpty() || rate != null) {
            throw new UnsupportedOperationException("this store keeps no spend windows or per-minute counters");
        }
        return charge(charge, keyHash, keyBudgeted);
    }

    /** {@link #reverse(Charge, String, boolean)}, also taking the cost back out of the spend windows it was counted in. */
    default boolean reverse(Charge charge, String keyHash, boolean keyBudgeted, List<SpendWindow> windows) {
        if (!windows.isEmpty()) {
            throw new UnsupportedOperationException("this store keeps no spend windows");
        }
        return reverse(charge, keyHash, keyBudgeted);
    }

    /**
     * Gives back a {@link #charge} whose work then failed: credits the balance (and the key budget), appends
     * a reversing ledger entry and takes the tokens and cost back out of the usage counters, in one write,
     * once per request id.
     *
     * @return false if the charge had already been reversed
     */
    boolean reverse(Charge charge, String keyHash, boolean keyBudgeted);

    /**
     * Applies an operator or payment change (credit when positive, debit when negative), once per
     * {@code entry.entryId()}. A debit larger than the balance takes the balance to zero and returns the
     * rest as the shortfall.
     */
    Settlement adjust(LedgerEntry entry);

    /** Open holds that expired before {@code now}, oldest first, at most {@code limit}. */
    List<Hold> expiredHolds(Instant now, int limit);

    /** Releases an expired hold in full: the request never settled (crash, timeout) and recorded no delivery. */
    boolean release(Hold hold, Instant now);

    Optional<Money> balance(String accountId);

    /** An account's balance and what it owes (refunds or lost disputes beyond its balance), read together. */
    record Funds(Money balance, Money debt) {
    }

    /** The account's balance and debt from one consistent read, so they describe the same moment. */
    default Optional<Funds> funds(String accountId) {
        return balance(accountId).map(balance -> new Funds(balance, Money.ZERO));
    }

    List<LedgerEntry> ledger(String accountId);

    /**
     * The account's balance and what it still owes after refunds or lost disputes took back more than its
     * balance held, once as much of that as the balance now allows is paid (ledger entry {@code entryId}): what
     * a free request needs of its account, from one read when nothing is owed. The debt is zero for an account
     * in good standing, and both are zero for a missing account. {@link #reserve} refuses an account that owes
     * money with {@link AccountInDebtException}. A store without debts has only the balance.
     */
    default Funds fundsAfterDebt(String accountId, String entryId, Instant at) {
        return new Funds(balance(accountId).orElse(Money.ZERO), Money.ZERO);
    }
}
