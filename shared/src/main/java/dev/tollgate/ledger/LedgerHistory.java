package dev.tollgate.ledger;

import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: an account's ledger in time order, and its totals, for the statement. Reads never scan: the DynamoDB adapter
 * queries the account's entries by time (docs/adr/0008).
 */
public interface LedgerHistory {

    /**
     * The account's balance, held amount and debt, read consistently; empty when there is no such account.
     */
    Optional<LedgerTotals> totals(String accountId);

    /**
     * The movements at or after {@code from}, oldest first: those before {@code to} (or all of them when {@code to}
     * is {@code null}) in full, at most {@code maxRows}; the ones at or after {@code to} only summed. Read
     * consistently, so an entry written before the call is in it. Entries that moved neither balance nor debt (free
     * requests, holds released in full) are left out.
     */
    Period read(String accountId, Instant from, Instant to, int maxRows);

    /**
     * @param rows      the movements in {@code [from, to)}, oldest first
     * @param truncated true when there were more than {@code maxRows}: {@code rows} and the sums are then incomplete
     * @param laterAmount what the movements at or after {@code to} moved the balance, summed
     * @param laterDebt   what they moved the debt, summed
     */
    record Period(List<Movement> rows, boolean truncated, Money laterAmount, Money laterDebt) {

        public Period {
            rows = List.copyOf(rows);
        }
    }
}
