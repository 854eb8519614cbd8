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
     * Takes back part of a paid order (a refund or a lost dispute), up to {@code reversal.total()} in all
     * for that kind. What the balance cannot cover is recorded as the account's debt.
     */
    Reversed reverse(TopUp order, Reversal reversal);

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

    /** What a refund or a lost dispute takes back. */
    enum ReversalKind { REFUND, DISPUTE }

    /**
     * @param total     the cumulative amount of this kind Stripe reports for the payment (refunds are
     *                  reported cumulatively, so only the increase over what was recorded is debited)
     * @param entryId   the ledger entry id: the idempotency key of this reversal
     * @param reference the Stripe object (charge or dispute) shown in the ledger
     */
    record Reversal(ReversalKind kind, Money total, String entryId, String eventId, String reference, Instant at) {
    }

    /**
     * @param debited   taken from the balance
     * @param shortfall what the balance could not cover, now owed by the account
     * @param applied   false when nothing was left to take back (a duplicate or an older event)
     */
    record Reversed(boolean applied, Money debited, Money shortfall) {

        public static final Reversed NOTHING = new Reversed(false, Money.ZERO, Money.ZERO);
    }
}
