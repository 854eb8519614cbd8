package dev.tollgate.topups;

/** Told by the webhook what auto top-up needs to know: a saved card, and how its own payments ended. */
public interface OffSessionListener {

    OffSessionListener NONE = new OffSessionListener() {
    };

    /** A Checkout saved this card on this Stripe Customer for later off-session payments. */
    default void paymentMethodSaved(String accountId, String customerId, String paymentMethodId) {
    }

    /** An auto top-up was credited. */
    default void succeeded(String accountId, String topupId) {
    }

    /** An auto top-up's payment failed. */
    default void failed(String accountId, String topupId, String code, String message) {
    }
}
