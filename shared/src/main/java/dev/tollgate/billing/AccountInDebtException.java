package dev.tollgate.billing;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.money.Money;

/**
 * The account owes money: a refund or a lost dispute took back more than its balance held, and the rest
 * is recorded as its debt. Its keys may not spend until a top-up (which pays the debt first) covers it.
 * A 403 {@code insufficient_quota}, like an empty balance, so OpenAI SDKs raise the same error.
 */
public final class AccountInDebtException extends ApiException {

    private static final String DEFAULT_HINT = "Top up with POST /v1/billing/checkout.";

    private final Money owed;

    public AccountInDebtException(Money owed, String topUpHint) {
        super(ErrorCode.INSUFFICIENT_QUOTA, "This account owes " + owed.display() + ": a top-up was refunded or "
                + "disputed after its credit had been spent, so the account's API keys are blocked until that is paid. "
                + "Top up at least " + owed.display() + "; a top-up pays what is owed first. "
                + (topUpHint == null ? DEFAULT_HINT : topUpHint));
        this.owed = owed;
    }

    public Money owed() {
        return owed;
    }
}
