package dev.tollgate.topups;

import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.topups.TopUpStore.DisputeChange;
import dev.tollgate.topups.TopUpStore.Payment;
import dev.tollgate.topups.TopUpStore.Refund;
import dev.tollgate.topups.TopUpStore.RefundFailure;

/**
 * The ledger entries of top-ups, with their idempotency keys. A credit is keyed by the order
 * ({@code topup:<id>}), not by the Stripe event: {@code checkout.session.completed} and
 * {@code checkout.session.async_payment_succeeded} are two events for one payment. A refund is keyed by
 * its Stripe event ({@code stripe:<event id>}); a dispute by the dispute, one entry per transition
 * ({@code stripe-dispute:<id>} when held, {@code stripe-dispute:<id>:released} when given back); a failed
 * refund by the refund ({@code stripe-refund-failed:<id>}). Every entry's amount is what the balance
 * moved; what was owed or paid beside it is the entry's debt change (and the note says it). The Stripe ids are in
 * the reference and the note.
 */
public final class TopUpLedger {

    private TopUpLedger() {
    }

    public static String creditId(String topupId) {
        return "topup:" + topupId;
    }

    public static String disputeHeldId(String disputeId) {
        return "stripe-dispute:" + disputeId;
    }

    public static String disputeReleasedId(String disputeId) {
        return "stripe-dispute:" + disputeId + ":released";
    }

    public static String refundFailedId(String refundId) {
        return "stripe-refund-failed:" + refundId;
    }

    public static LedgerEntry credit(TopUp order, Payment payment) {
        return LedgerEntry.of(order.accountId(), creditId(order.topupId()), LedgerType.TOPUP, order.amount(), payment.at(),
                payment.sessionId(), "Stripe top-up " + order.topupId() + ": event " + payment.eventId()
                        + ", checkout session " + payment.sessionId() + ", payment_intent " + payment.paymentIntentId());
    }

    /** The part of a credit that pays what the account owed after earlier refunds or disputes. */
    public static LedgerEntry debtPaid(TopUp order, Payment payment, Money paid, Money owed) {
        return LedgerEntry.of(order.accountId(), creditId(order.topupId()) + ":debt", LedgerType.REFUND, paid.negate(),
                payment.at(), payment.sessionId(), "top-up " + order.topupId() + " pays " + paid.display() + " of the "
                        + owed.display() + " owed after refunds or disputes").withDebtChange(paid.negate());
    }

    /**
     * @param taken     what the balance gave back
     * @param shortfall what it could not, now owed
     */
    public static LedgerEntry refund(TopUp order, Refund refund, Money taken, Money shortfall) {
        String note = "Stripe refund of top-up " + order.topupId() + ": event " + refund.eventId() + ", "
                + refund.reference() + ", payment_intent " + order.paymentIntentId() + owed(shortfall);
        return LedgerEntry.of(order.accountId(), refund.entryId(), LedgerType.REFUND, taken.negate(), refund.at(),
                refund.reference(), note).withDebtChange(shortfall);
    }

    /** A dispute now held: {@code held} in all, of which {@code shortfall} is owed instead of taken. */
    public static LedgerEntry disputeHeld(TopUp order, DisputeChange change, Money held, Money shortfall) {
        String note = "Stripe dispute " + change.disputeId() + " (" + change.status() + ") on top-up " + order.topupId()
                + ": event " + change.eventId() + ", payment_intent " + order.paymentIntentId() + ", "
                + held.display() + " held until it is won" + owed(shortfall);
        return LedgerEntry.of(order.accountId(), disputeHeldId(change.disputeId()), LedgerType.REFUND,
                held.minus(shortfall).negate(), change.at(), change.disputeId(), note).withDebtChange(shortfall);
    }

    /** A dispute released: {@code held} comes back, of which {@code debtPaid} pays what the account owed. */
    public static LedgerEntry disputeReleased(TopUp order, DisputeChange change, Money held, Money debtPaid) {
        String note = "Stripe dispute " + change.disputeId() + " (" + change.status() + ") on top-up " + order.topupId()
                + " released: event " + change.eventId() + ", " + held.display() + " given back" + paying(debtPaid);
        return LedgerEntry.of(order.accountId(), disputeReleasedId(change.disputeId()), LedgerType.REFUND,
                held.minus(debtPaid), change.at(), change.disputeId(), note).withDebtChange(debtPaid.negate());
    }

    /** A failed refund given back: {@code debtPaid} of it pays what the account owed. */
    public static LedgerEntry refundReturned(TopUp order, RefundFailure failure, Money debtPaid) {
        String note = "Stripe refund " + failure.refundId() + " of top-up " + order.topupId() + " failed: event "
                + failure.eventId() + ", " + failure.amount().display() + " given back" + paying(debtPaid);
        return LedgerEntry.of(order.accountId(), refundFailedId(failure.refundId()), LedgerType.REFUND,
                failure.amount().minus(debtPaid), failure.at(), failure.refundId(), note).withDebtChange(debtPaid.negate());
    }

    private static String owed(Money shortfall) {
        return shortfall.isPositive() ? "; " + shortfall.display() + " exceeded the balance and is owed" : "";
    }

    private static String paying(Money debtPaid) {
        return debtPaid.isPositive() ? "; " + debtPaid.display() + " of it paid what the account owed" : "";
    }
}
