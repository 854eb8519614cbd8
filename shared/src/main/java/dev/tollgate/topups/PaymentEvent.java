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

    /**
     * A dispute was opened, moved money or closed. Stripe's events for one dispute arrive in any order, so
     * each is reduced to the state it implies: {@link DisputeTarget#HELD} (opened, funds withdrawn, lost)
     * or {@link DisputeTarget#RELEASED} (won, funds reinstated, an inquiry closed).
     *
     * @param status Stripe's dispute status as reported, for the ledger note
     */
    record DisputeChanged(String eventId, String type, String disputeId, String chargeId, String paymentIntentId,
                          long amountCents, String currency, String status, DisputeTarget target) implements PaymentEvent {
    }

    /**
     * A PaymentIntent succeeded. For an auto top-up ({@code auto}) it is the payment; for a Checkout top-up its session's
     * events credit it, and this only tells which card was saved for later ({@code savedForOffSession}).
     */
    record PaymentIntentSucceeded(String eventId, String type, String topupId, String accountId, boolean auto,
                                  String paymentIntentId, long amountCents, String currency, String customerId,
                                  String paymentMethodId, boolean savedForOffSession) implements PaymentEvent {
    }

    /** A PaymentIntent failed ({@code payment_intent.payment_failed}); {@code code} is Stripe's error code. */
    record PaymentIntentFailed(String eventId, String type, String topupId, String accountId, boolean auto,
                               String paymentIntentId, String code, String message) implements PaymentEvent {
    }

    /** A refund failed: its amount came back to Stripe, so it goes back to the account. */
    record RefundFailed(String eventId, String type, String refundId, String chargeId, String paymentIntentId,
                        long amountCents, String currency) implements PaymentEvent {
    }

    /**
     * A correctly signed event that cannot be read (no type, no data object, an id that is not a string, a
     * body that is not a Stripe event): it is acknowledged and changes nothing, because Stripe would only
     * redeliver the same bytes. {@code eventId} and {@code type} are whatever could be read, or null.
     */
    record Unreadable(String eventId, String type, String reason) implements PaymentEvent {
    }

    /** Any other event, or one that needs no action (e.g. a session completed but not yet paid). */
    record Ignored(String eventId, String type, String reason) implements PaymentEvent {
    }
}
