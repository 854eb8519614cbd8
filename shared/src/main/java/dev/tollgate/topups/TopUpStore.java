package dev.tollgate.topups;

import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: top-up orders, and the balance changes they cause. Every money-moving method is one conditional
 * transaction over the order, the account and the ledger, so a repeated or concurrent call changes
 * nothing the second time.
 */
public interface TopUpStore {

    /** Stores a new pending order; an order id is never reused. */
    void create(TopUp order);

    /** Records the Checkout Session of a pending order (no-op if the order already names this session). */
    void attachSession(String topupId, String sessionId, String checkoutUrl, Instant expiresAt);

    /** The order, read consistently. */
    Optional<TopUp> find(String topupId);

    /** The paid order whose payment is this PaymentIntent (how refunds and disputes find their top-up). */
    Optional<TopUp> findByPaymentIntent(String paymentIntentId);

    /** The account's orders, newest first, at most {@code limit}. */
    List<TopUp> listByAccount(String accountId, int limit);

    /**
     * Marks the order paid and credits its stored amount, in one transaction with its ledger entry. What
     * the account owes from earlier reversals is paid first. Crediting an order twice changes nothing.
     */
    Credit credit(TopUp order, Payment payment);

    /**
     * Takes back the increase of a paid order's cumulative refunds over what it recorded, never more than
     * the order credited in refunds. What the balance cannot cover is recorded as the account's debt.
     */
    Reversed refund(TopUp order, Refund refund);

    /**
     * Moves one dispute of a paid order to {@code change.target()}: a hold takes the disputed amount (at
     * most what refunds and other disputes left of the order; what the balance cannot cover is owed), a
     * release gives back exactly what the hold took, paying the account's debt first. A released dispute
     * stays released. Repeated or concurrent calls change nothing more.
     */
    DisputeApplied dispute(TopUp order, DisputeChange change);

    /**
     * Gives back a refund that failed, once per refund: what the account owes is paid first, and the
     * order's refunded total goes down by it (Stripe lowers the charge's {@code amount_refunded} too).
     */
    RefundReturned refundFailed(TopUp order, RefundFailure failure);

    /**
     * Moves an unpaid order to {@code state} ({@link TopUpState#EXPIRED}, {@link TopUpState#FAILED} or
     * {@link TopUpState#REVIEW}); false if it was paid (or in review) already.
     */
    boolean close(String topupId, TopUpState state, String eventId, String reason);

    /** What paid the order: the Stripe ids recorded with the credit. */
    record Payment(String eventId, String sessionId, String paymentIntentId, Instant at) {
    }

    /**
     * @param credited  false when the order had been credited before: nothing changed this time
     * @param debtPaid  the part of the credit that paid what the account owed
     */
    record Credit(boolean credited, Money debtPaid) {
    }

    /**
     * @param total     the charge's cumulative {@code amount_refunded} as Stripe reports it (so only the
     *                  increase over what was recorded is debited)
     * @param entryId   the ledger entry id: the idempotency key of this refund event
     * @param reference the Stripe charge shown in the ledger
     */
    record Refund(Money total, String entryId, String eventId, String reference, Instant at) {
    }

    /**
     * @param debited   taken from the balance
     * @param shortfall what the balance could not cover, now owed by the account
     * @param applied   false when nothing was left to take back (a duplicate or an older event)
     */
    record Reversed(boolean applied, Money debited, Money shortfall) {

        public static final Reversed NOTHING = new Reversed(false, Money.ZERO, Money.ZERO);
    }

    /**
     * @param amount what Stripe disputes (at most this much is held)
     * @param status Stripe's dispute status, for the ledger note
     */
    record DisputeChange(String disputeId, DisputeTarget target, Money amount, String eventId, String status, Instant at) {
    }

    /**
     * @param step   what happened
     * @param amount what the dispute holds (for {@link Step#TOOK} and {@link Step#GAVE_BACK}: what moved)
     * @param debt   {@link Step#TOOK}: the part the balance could not cover, now owed;
     *               {@link Step#GAVE_BACK}: the part that paid what the account owed
     */
    record DisputeApplied(Step step, Money amount, Money debt) {

        public enum Step {
            /** The dispute is now held and took {@code amount}. */
            TOOK,
            /** The dispute is now released and gave back {@code amount}. */
            GAVE_BACK,
            /** The state was recorded without moving money (released before any hold, or nothing left to hold). */
            RECORDED,
            /** The dispute was in that state already, or released: nothing changed. */
            UNCHANGED
        }
    }

    /** @param amount what the failed refund had taken back, as Stripe reports it */
    record RefundFailure(String refundId, Money amount, String eventId, Instant at) {
    }

    /** @param debtPaid the part of the returned amount that paid what the account owed */
    record RefundReturned(Step step, Money debtPaid) {

        public enum Step {
            /** Given back now. */
            RETURNED,
            /** Given back before: nothing changed. */
            ALREADY,
            /** The order has not recorded refunds of that much yet (the charge.refunded event is late). */
            NOT_TAKEN_YET
        }
    }
}
