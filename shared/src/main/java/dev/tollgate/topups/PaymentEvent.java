package dev.tollgate.topups;

/**
 * A verified payment-provider event, reduced to what top-ups need. The Stripe adapter builds these from
 * signature-checked webhook payloads; amounts are integer US cents as Stripe reports them.
 */
public sealed interface PaymentEvent {

    String eventId();

    String type();

    /** A Checkout Session was paid ({@code payment_status=paid}), synchronously or asynchronously. */
    record CheckoutPaid(String eventId, String type, String topupId, String clientReferenceId, String sessionId,
                        String paymentIntentId, long amountTotalCents, String currency) implements PaymentEvent {
    }

    /** A Checkout Session ended without payment: it expired, or its asynchronous payment failed. */
    record CheckoutUnpaid(String eventId, String type, String topupId, String sessionId, TopUpState outcome)
            implements PaymentEvent {
    }

    /** A charge was refunded, in part or in full; {@code amountRefundedCents} is cumulative. */
    record ChargeRefunded(String eventId, String type, String chargeId, String paymentIntentId, String topupId,
                          long amountRefundedCents, String currency) implements PaymentEvent {
    }

    /** A dispute closed and was lost: the disputed amount is gone. */
    record DisputeLost(String eventId, String type, String disputeId, String chargeId, String paymentIntentId,
                       long amountCents, String currency) implements PaymentEvent {
    }

    /** Any other event, or one that needs no action (e.g. a session completed but not yet paid). */
    record Ignored(String eventId, String type, String reason) implements PaymentEvent {
    }
}
