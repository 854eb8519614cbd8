package dev.tollgate.accounts;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;

/** Operator use case: read one account with its current balance (open holds already taken out). */
public final class AccountReader {

    private final AccountStore accounts;

    public AccountReader(AccountStore accounts) {
        this.accounts = accounts;
    }

    public Account read(String accountId) {
        return accounts.find(accountId).orElseThrow(() -> notFound(accountId));
    }

    static ApiException notFound(String accountId) {
        return new ApiException(ErrorCode.NOT_FOUND, "No account with id '" + accountId
                + "'. Account ids look like acct_... and are returned by POST /admin/accounts.");
    }
}
