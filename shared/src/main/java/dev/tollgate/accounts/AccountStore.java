package dev.tollgate.accounts;

import dev.tollgate.keys.ApiKey;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.money.Money;
import java.util.Optional;

/** Port: accounts and their balances. */
public interface AccountStore {

    /**
     * Creates the account, its opening ledger entry and its first key together, or nothing at all.
     * The account's balance equals the opening entry's amount; the entry's reference, when set, is the
     * operator's idempotency reference and is kept with the account ({@link #opening}).
     *
     * @return false, having written nothing, when an account with this id exists already
     */
    boolean createWithKey(Account account, LedgerEntry openingCredit, ApiKey firstKey);

    Optional<Account> find(String accountId);

    /** How an account was opened, with its current balance; empty when there is no such account. */
    Optional<Opening> opening(String accountId);

    /**
     * @param account   the account as it is now
     * @param reference the operator's reference it was opened with; null when it was opened without one
     * @param credit    the opening credit
     * @param firstKey  the key created with it (its secret is not stored); null for accounts from before this was kept
     */
    record Opening(Account account, String reference, Money credit, ApiKey firstKey) {
    }
}
