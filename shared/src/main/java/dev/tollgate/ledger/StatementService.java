package dev.tollgate.ledger;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.money.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /v1/statement}: every movement of an account's money in a period, with the running balance. The
 * balance at the period's end is anchored to the account's own item, read consistently around the ledger query:
 * the closing balance is the account's (ledger) balance less what moved after the period, and the opening
 * balance is the closing less what moved in it. So the rows always add up from the opening to the closing
 * balance, and a statement that runs to now ends at the account's balance exactly.
 *
 * <p>Management keys only: the statement shows top-ups, refunds and operator changes, which are the account
 * owner's business, not an inference key's (a CI job's key has no reason to read the payment history).
 */
public final class StatementService {

    /** The default period: the last 30 days. */
    public static final Duration DEFAULT_PERIOD = Duration.ofDays(30);
    /** The most movements one statement holds; a longer one is refused, asking for a shorter period. */
    public static final int MAX_ROWS = 10_000;
    /** Reads of the account and its ledger until the account did not change while its ledger was read. */
    private static final int MAX_ROUNDS = 3;

    private final LedgerHistory history;
    private final Clock clock;

    public StatementService(LedgerHistory history, Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    /**
     * The caller's account statement; {@code start} and {@code end} as in {@link TimeParams} (default: the last
     * {@link #DEFAULT_PERIOD}, to now). 403 for an inference key.
     */
    public Statement statement(ApiKey caller, String start, String end) {
        if (caller.role() != KeyRole.MANAGEMENT) {
            throw new ApiException(ErrorCode.PERMISSION_DENIED, "The statement shows the account's payments and "
                    + "balance, so it needs a management key; this is an inference key. An inference key can list its "
                    + "own requests with GET /v1/requests.");
        }
        return ofAccount(caller.accountId(), start, end);
    }

    /** An account's statement, for the operator. 404 when there is no such account. */
    public Statement ofAccount(String accountId, String start, String end) {
        Instant now = clock.instant();
        Instant to = TimeParams.parse("end", end, true);
        boolean toNow = to == null || !to.isBefore(now);
        Instant until = toNow ? now : to;
        Instant from = TimeParams.parse("start", start, false);
        from = from == null ? until.minus(DEFAULT_PERIOD) : from;
        if (!from.isBefore(until)) {
            throw ApiException.invalid("start", "'start' (" + from + ") must be before 'end' (" + until + ").");
        }
        Read read = read(accountId, from, toNow ? null : until);
        if (read.period().truncated()) {
            throw ApiException.invalid("start", "The period " + from + " to " + until + " holds more than " + MAX_ROWS
                    + " movements, more than one statement lists. Ask for a shorter period (start, end) and join them: "
                    + "each statement's closing balance is the next one's opening balance.");
        }
        return build(accountId, from, until, toNow, read);
    }

    private record Read(LedgerTotals totals, LedgerHistory.Period period, Instant at) {
    }

    /**
     * The account's totals and its ledger, read again while the account changed during the ledger query (a request
     * settled meanwhile): the totals read after the query then describe the same moment as the entries it found.
     * Under constant traffic the last round is used; an entry that committed during it can make that one statement
     * differ from the moment's balance by that entry, and the next statement is exact again.
     */
    private Read read(String accountId, Instant from, Instant to) {
        LedgerTotals before = totals(accountId);
        Read read = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            LedgerHistory.Period period = history.read(accountId, from, to, MAX_ROWS);
            Instant at = clock.instant();
            LedgerTotals after = totals(accountId);
            read = new Read(after, period, at);
            if (after.equals(before)) {
                break;
            }
            before = after;
        }
        return read;
    }

    private LedgerTotals totals(String accountId) {
        return history.totals(accountId).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
                "No account with id '" + accountId + "'."));
    }

    /**
     * Time order, and at one instant credits before debits: a top-up and the debt it pays are written together with
     * one time, and the balance never went below zero between them (nor in the statement). Sorting by the parsed time
     * also orders entries written before times had a fixed width.
     */
    static final Comparator<Movement> ORDER = Comparator.comparing(Movement::at)
            .thenComparing(Movement::amount, Comparator.reverseOrder()).thenComparing(Movement::entryId);

    private static Statement build(String accountId, Instant from, Instant until, boolean toNow, Read read) {
        List<Movement> rows = read.period().rows().stream().sorted(ORDER).toList();
        LedgerTotals now = read.totals();
        Money closing = now.ledgerBalance().minus(read.period().laterAmount());
        Money closingDebt = now.debt().minus(read.period().laterDebt());
        Money moved = Money.ZERO;
        Money debtMoved = Money.ZERO;
        for (Movement m : rows) {
            moved = moved.plus(m.amount());
            debtMoved = debtMoved.plus(m.debtChange());
        }
        Money balance = closing.minus(moved);
        Money debt = closingDebt.minus(debtMoved);
        Money opening = balance;
        Money openingDebt = debt;
        List<Statement.Line> lines = new ArrayList<>(rows.size());
        for (Movement m : rows) {
            balance = balance.plus(m.amount());
            debt = debt.plus(m.debtChange());
            lines.add(new Statement.Line(m, balance, debt));
        }
        return new Statement(accountId, from, until, toNow, read.at(), opening, closing, openingDebt, closingDebt, now,
                lines);
    }
}
