package dev.tollgate.accounts;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.DisplayNames;
import dev.tollgate.keys.Ids;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;

/**
 * Operator use case: open an account with prepaid credit and its first (management) key, at most once per
 * operator reference. A reference determines the account id (a hash of it), so a retried call, or two
 * concurrent ones, race for the same conditional put of the same item: one creates the account, the others
 * find it and answer with it.
 */
public final class AccountService {

    /** The most an operator may grant in one step, a guard against typos such as an extra zero. */
    public static final Money MAX_CREDIT = Money.parseDollars("100000");

    private static final BigInteger ID_SPACE = BigInteger.valueOf(36).pow(20);

    private final AccountStore accounts;
    private final Clock clock;

    public AccountService(AccountStore accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    /**
     * An account and its first key.
     *
     * @param secret    the key's secret, shown this once; null when {@code duplicate}
     * @param duplicate true when an earlier call with the same reference opened the account: nothing changed now
     */
    public record Opened(Account account, ApiKey key, String secret, boolean duplicate) {
    }

    /** Opens a new account every time (no reference). */
    public Opened open(String name, Money credit) {
        return open(name, credit, null);
    }

    /** Opens the account for {@code reference} once; null opens a new account every time. */
    public Opened open(String name, Money credit, String reference) {
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
        if (reference != null && !BalanceAdjustments.validReference(reference)) {
            throw ApiException.invalid("reference", "'reference' must be a non-empty string of at most "
                    + BalanceAdjustments.MAX_REFERENCE_LENGTH + " characters, e.g. a CRM or ticket id. It makes the "
                    + "account open once: repeating a reference answers with the same account.");
        }
        String ref = reference == null ? null : reference.strip();
        Instant now = clock.instant();
        String accountId = ref == null ? Ids.newId("acct") : accountIdFor(ref);
        KeySecret secret = KeySecret.generate();
        ApiKey key = ApiKey.create(Ids.newId("key"), accountId, secret, "default", KeyRole.MANAGEMENT, now);
        Account account = new Account(accountId, name.strip(), credit, now);
        LedgerEntry opening = LedgerEntry.of(accountId, "open:" + accountId, LedgerType.ADMIN_CREDIT, credit, now,
                ref, "opening credit");
        if (accounts.createWithKey(account, opening, key)) {
            return new Opened(account, key, secret.secret(), false);
        }
        if (ref == null) {
            throw new IllegalStateException("a new random account id is taken: " + accountId);
        }
        AccountStore.Opening earlier = accounts.opening(accountId)
                .orElseThrow(() -> new IllegalStateException("account " + accountId + " exists but cannot be read"));
        requireSameOpening(earlier, account, ref);
        return new Opened(earlier.account(), earlier.firstKey(), null, true);
    }

    /**
     * The account id a reference opens: 20 base-36 characters of a SHA-256 of it, the shape of {@link Ids}
     * (about 103 bits, so neither two references nor a reference and a random id meet in practice).
     */
    static String accountIdFor(String reference) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("tollgate-account:" + reference).getBytes(StandardCharsets.UTF_8));
            String digits = new BigInteger(1, digest).mod(ID_SPACE).toString(36);
            return "acct_" + "0".repeat(20 - digits.length()) + digits;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A repeated reference must mean the same account: the same name and opening credit. */
    private static void requireSameOpening(AccountStore.Opening earlier, Account wanted, String reference) {
        Account existing = earlier.account();
        boolean same = reference.equals(earlier.reference()) && existing.name().equals(wanted.name())
                && earlier.credit().equals(wanted.balance());
        if (!same) {
            throw new ApiException(ErrorCode.CONFLICT, "The reference '" + reference + "' already opened account "
                    + existing.accountId() + " ('" + existing.name() + "', opening credit " + earlier.credit().display()
                    + ") on " + existing.createdAt() + ". Use a new reference for a different account.", "reference");
        }
    }
}
