package dev.tollgate.topups;

import java.time.Instant;

/** Port: the payment provider's hosted checkout (Stripe Checkout). */
public interface CheckoutGateway {

    /**
     * Creates a checkout for one order. Calling it again for the same order returns the same session
     * (the order id is the provider's idempotency key).
     *
     * @throws dev.tollgate.error.ApiException when the provider is not configured or fails
     */
    CheckoutSession create(CheckoutRequest request);

    /** What to sell: {@code amountCents} US cents of credit for {@code accountId}, remembered as {@code topupId}. */
    record CheckoutRequest(String topupId, String accountId, long amountCents, String successUrl, String cancelUrl) {
    }

    /** The hosted page the customer pays on. */
    record CheckoutSession(String sessionId, String url, Instant expiresAt) {
    }
}
