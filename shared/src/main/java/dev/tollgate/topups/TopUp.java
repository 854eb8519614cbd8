package dev.tollgate.topups;

import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * A top-up order: what the customer asked to pay, stored before Stripe hears of it. The webhook credits
 * {@link #amount} (never an amount read from the event) and records the Stripe ids here.
 *
 * @param keyId           the management key that started the checkout
 * @param sessionId       the Checkout Session, once created (or as reported by the paying event)
 * @param paymentIntentId the PaymentIntent that paid it, set when credited: how refunds and disputes find it
 * @param paidEventId     the Stripe event that credited it
 * @param refunded        what refunds have taken back so far, less failed refunds (like Stripe's {@code amount_refunded})
 * @param disputed        what disputes hold now (opened or lost, not yet released)
 * @param reason          why it ended unpaid or needs review, if it did
 */
public record TopUp(String topupId, String accountId, String keyId, Money amount, TopUpState state, Instant createdAt,
                    String sessionId, String checkoutUrl, Instant expiresAt, String paymentIntentId, Instant paidAt,
                    String paidEventId, Money refunded, Money disputed, String reason) {

    public TopUp {
        Objects.requireNonNull(topupId, "topupId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(state, "state");
        refunded = refunded == null ? Money.ZERO : refunded;
        disputed = disputed == null ? Money.ZERO : disputed;
    }

    /** A new order waiting for its Checkout Session. */
    public static TopUp pending(String topupId, String accountId, String keyId, Money amount, Instant now) {
        return new TopUp(topupId, accountId, keyId, amount, TopUpState.PENDING, now, null, null, null, null, null, null,
                Money.ZERO, Money.ZERO, null);
    }

    public TopUp withSession(String sessionId, String checkoutUrl, Instant expiresAt) {
        return new TopUp(topupId, accountId, keyId, amount, state, createdAt, sessionId, checkoutUrl, expiresAt,
                paymentIntentId, paidAt, paidEventId, refunded, disputed, reason);
    }

    /**
     * What further refunds may take back: the order less what refunds took. Disputes do not count here: an
     * inquiry is often answered with a refund, and the refund is taken while the dispute is held; the
     * dispute's release then gives its own hold back.
     */
    public Money refundable() {
        return amount.minus(refunded).max(Money.ZERO);
    }

    /** What a new dispute hold may take: what refunds and other disputes have not taken back yet. */
    public Money disputable() {
        return amount.minus(refunded).minus(disputed).max(Money.ZERO);
    }
}
