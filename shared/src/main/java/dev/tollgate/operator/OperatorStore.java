package dev.tollgate.operator;

import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: reads across accounts for the operator console. Accounts have no index by name, so searching by name pages
 * through a Scan of the accounts table (operator-only, one page per call); everything else is a key lookup or a
 * query. docs/adr/0009-web-console.md says what each costs.
 */
public interface OperatorStore {

    /** One account as listed: balance and debt as stored now (open holds already taken out). */
    record AccountSummary(String accountId, String name, Money balance, Money debt, Instant createdAt) {
    }

    /** A page of accounts; {@code next} is the cursor of the following page, or null at the end. */
    record AccountPage(List<AccountSummary> accounts, String next) {
    }

    /** Accounts whose name contains {@code text} (any case; every account when blank), one scan page from {@code after}. */
    AccountPage searchByName(String text, String after, int scanLimit);

    Optional<AccountSummary> account(String accountId);

    /** When the account's money last moved (its newest ledger entry), if ever. */
    Optional<Instant> lastActivity(String accountId);

    /** Open holds, and those past their expiry that the reconciler has not closed yet (its backlog). */
    record Holds(long open, long overdue) {
    }

    Holds holds(Instant now);

    /** Sum of all accounts' debt and the number of accounts owing: a full scan, so only on the health page. */
    record Debts(Money total, long accounts) {
    }

    Debts debts();

    /** Records a reconciler run (any instance, any function), for the health page. */
    void recordReconcilerRun(Instant at, int closed);

    record ReconcilerRun(Instant at, int closed) {
    }

    Optional<ReconcilerRun> lastReconcilerRun();
}
