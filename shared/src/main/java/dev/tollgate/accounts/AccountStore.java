package dev.tollgate.accounts;

import dev.tollgate.keys.ApiKey;
import dev.tollgate.ledger.LedgerEntry;
import java.util.Optional;

/** Port: accounts and their balances. */
public interface AccountStore {

    /**
     * Creates the account, its opening ledger entry and its first key together, or nothing at all.
     * The account's balance equals the opening entry's amount.
     */
    void createWithKey(Account account, LedgerEntry openingCredit, ApiKey firstKey);

    Optional<Account> find(String accountId);
}
