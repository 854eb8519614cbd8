package dev.tollgate.accounts;

import dev.tollgate.error.ApiException;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.DisplayNames;
import dev.tollgate.keys.Ids;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import java.time.Clock;
import java.time.Instant;

/** Operator use case: open an account with prepaid credit and its first (management) key. */
public final class AccountService {

    /** The most an operator may grant in one step, a guard against typos such as an extra zero. */
    public static final Money MAX_CREDIT = Money.parseDollars("100000");

    private final AccountStore accounts;
    private final Clock clock;

    public AccountService(AccountStore accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    /** A new account and the secret of its first key, shown this once. */
    public record Opened(Account account, ApiKey key, String secret) {
    }

    public Opened open(String name, Money credit) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ApiException.invalid("name", "'name' must be a non-empty string of at most 200 characters.");
        }
        String forbidden = DisplayNames.forbiddenCharacter(name.strip()); // as stored
        if (forbidden != null) {
            throw ApiException.invalid("name", "'name' contains " + forbidden + ". Use printable characters only, "
                    + "e.g. \"Acme Inc.\".");
        }
        if (credit.isNegative() || MAX_CREDIT.lessThan(credit)) {
            throw ApiException.invalid("credit_usd", "'credit_usd' must be between 0.00 and " + MAX_CREDIT.toDollars() + ".");
        }
        Instant now = clock.instant();
        String accountId = Ids.newId("acct");
        KeySecret secret = KeySecret.generate();
        ApiKey key = ApiKey.create(Ids.newId("key"), accountId, secret, "default", KeyRole.MANAGEMENT, now);
        Account account = new Account(accountId, name.strip(), credit, now);
        LedgerEntry opening = LedgerEntry.of(accountId, "open:" + accountId, LedgerType.ADMIN_CREDIT, credit, now,
                null, "opening credit");
        accounts.createWithKey(account, opening, key);
        return new Opened(account, key, secret.secret());
    }
}
