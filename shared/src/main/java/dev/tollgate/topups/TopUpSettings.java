package dev.tollgate.topups;

import dev.tollgate.money.Money;

/**
 * How checkouts are made.
 *
 * @param minimum    the smallest top-up (Stripe itself refuses USD charges under $0.50)
 * @param maximum    the largest top-up, a guard against typos such as an extra zero
 * @param successUrl where Stripe sends the customer after paying; {@code {TOPUP_ID}} is replaced by the
 *                   order id, and Stripe replaces {@code {CHECKOUT_SESSION_ID}}; null: the console's billing page
 *                   on the deployment's own base URL
 * @param cancelUrl  where Stripe sends the customer who gives up; {@code {TOPUP_ID}} is replaced; null as above
 */
public record TopUpSettings(Money minimum, Money maximum, String successUrl, String cancelUrl) {

    public TopUpSettings {
        if (!UsdCents.isWholeCents(minimum) || !UsdCents.isWholeCents(maximum) || !minimum.isPositive()
                || maximum.lessThan(minimum)) {
            throw new IllegalArgumentException("top-up limits must be whole cents with 0 < minimum <= maximum, got "
                    + minimum + " and " + maximum);
        }
    }
}
