package dev.tollgate.ledger;

import dev.tollgate.money.Money;

/**
 * An account's money at one moment, from one consistent read of its item.
 *
 * @param balance what its keys can spend now (open holds already taken out)
 * @param held    what open holds have taken out of the balance for requests in progress; their ledger entries are
 *                written when they settle, so the ledger sums to {@code balance + held}
 * @param debt    what the account owes (refunds, disputes or request costs its balance could not cover)
 */
public record LedgerTotals(Money balance, Money held, Money debt) {

    /** The balance the ledger's entries sum to: what the account has, counting the money held for requests in progress. */
    public Money ledgerBalance() {
        return balance.plus(held);
    }
}
