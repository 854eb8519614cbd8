package dev.tollgate.autotopup;

import dev.tollgate.money.Money;
import java.time.Instant;

/**
 * An account's auto top-up: the customer's settings and the state that makes it fire once per crossing.
 *
 * @param armed           the balance was last seen at or above the threshold: the next settlement below it is a crossing
 * @param crossing        how many crossings were claimed; the Stripe idempotency key and the order id carry it
 * @param version         optimistic lock: every write is conditioned on the version it read
 * @param day             the UTC day {@code dayTotal} counts (yyyy-mm-dd)
 * @param dayTotal        what auto top-ups started on {@code day}, against {@code dailyCap}
 * @param customerId      the Stripe Customer the first Checkout created
 * @param paymentMethodId the card saved by that Checkout ({@code setup_future_usage=off_session})
 * @param status          the last crossing's result: pending, started, succeeded, failed, daily_cap, no_payment_method,
 *                        cancelled (turned off before its payment started)
 * @param reason          why it was switched off or skipped, if it was
 * @param dueAt           a claimed crossing not started yet is due to be (re)started at this time; null otherwise
 */
public record AutoTopUp(String accountId, boolean enabled, Money threshold, Money amount, Money dailyCap, boolean armed,
                        long crossing, long version, String day, Money dayTotal, String customerId,
                        String paymentMethodId, String status, String reason, String lastTopupId, Instant updatedAt,
                        Instant dueAt) {

    public AutoTopUp {
        threshold = threshold == null ? Money.ZERO : threshold;
        amount = amount == null ? Money.ZERO : amount;
        dailyCap = dailyCap == null ? Money.ZERO : dailyCap;
        dayTotal = dayTotal == null ? Money.ZERO : dayTotal;
    }

    /** An account that never configured it: off, nothing saved. */
    public static AutoTopUp none(String accountId) {
        return new AutoTopUp(accountId, false, Money.ZERO, Money.ZERO, Money.ZERO, false, 0, 0, null, Money.ZERO, null,
                null, null, null, null, null, null);
    }

    public boolean hasPaymentMethod() {
        return customerId != null && paymentMethodId != null;
    }

    public AutoTopUp withSettings(boolean enabled, Money threshold, Money amount, Money dailyCap, boolean armed,
                                  String reason, Instant at) {
        return new AutoTopUp(accountId, enabled, threshold, amount, dailyCap, armed, crossing, version, day, dayTotal,
                customerId, paymentMethodId, status, reason, lastTopupId, at, dueAt);
    }

    public AutoTopUp withArmed(boolean armed, Instant at) {
        return new AutoTopUp(accountId, enabled, threshold, amount, dailyCap, armed, crossing, version, day, dayTotal,
                customerId, paymentMethodId, status, reason, lastTopupId, at, dueAt);
    }

    /** Claims the next crossing: disarmed, counted against the day, due to start now. */
    public AutoTopUp claimed(String today, Money dayTotal, String status, String reason, Instant dueAt, Instant at) {
        return new AutoTopUp(accountId, enabled, threshold, amount, dailyCap, false, crossing + 1, version, today,
                dayTotal, customerId, paymentMethodId, status, reason, lastTopupId, at, dueAt);
    }

    public AutoTopUp withResult(String status, String reason, String topupId, Instant dueAt, Instant at) {
        return new AutoTopUp(accountId, enabled, threshold, amount, dailyCap, armed, crossing, version, day, dayTotal,
                customerId, paymentMethodId, status, reason, topupId == null ? lastTopupId : topupId, at, dueAt);
    }

    /** Switched off after a failure, which {@code reason} says; a new PATCH with enabled=true turns it back on. */
    public AutoTopUp switchedOff(String reason, Instant at) {
        return new AutoTopUp(accountId, false, threshold, amount, dailyCap, false, crossing, version, day, dayTotal,
                customerId, paymentMethodId, "failed", reason, lastTopupId, at, null);
    }

    public AutoTopUp withPaymentMethod(String customerId, String paymentMethodId, Instant at) {
        return new AutoTopUp(accountId, enabled, threshold, amount, dailyCap, armed, crossing, version, day, dayTotal,
                customerId, paymentMethodId, status, reason, lastTopupId, at, dueAt);
    }
}
