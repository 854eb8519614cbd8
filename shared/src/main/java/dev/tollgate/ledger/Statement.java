package dev.tollgate.ledger;

import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An account's statement for {@code [start, end)}: every movement of its money in time order, each with the balance
 * and the debt after it. The running balance starts at {@code openingBalance} and ends at {@code closingBalance};
 * when the period runs to now ({@code endIsNow}) that is the account's balance as read at {@code asOf}, counting the
 * money held for requests in progress ({@code now.held()}, whose entries are written when they settle).
 *
 * <p>The balances here are the ledger's: {@code now.balance()} (what keys can spend) is {@code closingBalance} less
 * {@code now.held()} when the period runs to now, and equal to it whenever no request is in progress.
 */
public record Statement(String accountId, Instant start, Instant end, boolean endIsNow, Instant asOf,
                        Money openingBalance, Money closingBalance, Money openingDebt, Money closingDebt,
                        LedgerTotals now, List<Line> lines) {

    public Statement {
        lines = List.copyOf(lines);
    }

    /** One movement with the balance and the debt right after it. */
    public record Line(Movement movement, Money balance, Money debt) {
    }

    /** What each kind of movement added up to in the period (kinds with no movement are absent). */
    public Map<MovementKind, Money> totals() {
        Map<MovementKind, Money> totals = new EnumMap<>(MovementKind.class);
        for (Line line : lines) {
            totals.merge(line.movement().kind(), line.movement().amount(), Money::plus);
        }
        return totals;
    }
}
