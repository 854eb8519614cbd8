package dev.tollgate.autotopup;

/** Port: charges a saved card without the customer present (Stripe: an off-session, confirmed PaymentIntent). */
public interface OffSessionPayments {

    /**
     * Starts the payment. The same {@code idempotencyKey} always means the same payment: retrying after a
     * network failure cannot charge twice.
     *
     * @throws RuntimeException when the provider could not be reached or failed; nothing is known to be charged,
     *                          and the same call may be retried
     */
    Outcome charge(Charge charge);

    /** {@code amountCents} US cents from the saved card, for the order {@code topupId}. */
    record Charge(String topupId, String accountId, String customerId, String paymentMethodId, long amountCents,
                  String idempotencyKey) {
    }

    /**
     * @param paymentIntentId the PaymentIntent, when one exists
     * @param accepted        the payment succeeded or is processing: its webhook credits it
     * @param code            why it was refused (card_declined, authentication_required, ...), when it was
     */
    record Outcome(String paymentIntentId, boolean accepted, String code, String message) {

        public static Outcome accepted(String paymentIntentId) {
            return new Outcome(paymentIntentId, true, null, null);
        }

        public static Outcome refused(String paymentIntentId, String code, String message) {
            return new Outcome(paymentIntentId, false, code, message);
        }
    }
}
