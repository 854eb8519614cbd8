package dev.tollgate.billing;

import dev.tollgate.money.Money;

/**
 * Told when a request's cost escaped its hold and the balance could not pay it all, so the rest became the
 * account's debt. Nothing is lost (the debt blocks the account until paid), but it means a hold's bound was wrong
 * (an upstream's prompt count beyond Tollgate's estimate), which operators want to see: on AWS it is the
 * {@code UsageShortfallMicros} metric and its alarm.
 */
@FunctionalInterface
public interface DebtObserver {

    DebtObserver NONE = (accountId, requestId, owed) -> { };

    void owed(String accountId, String requestId, Money owed);
}
