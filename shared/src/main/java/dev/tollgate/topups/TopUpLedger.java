package dev.tollgate.topups;

import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.topups.TopUpStore.Payment;
import dev.tollgate.topups.TopUpStore.Reversal;
import dev.tollgate.topups.TopUpStore.ReversalKind;

/**
 * The ledger entries of top-ups, with their idempotency keys. A credit is keyed by the order
 * ({@code topup:<id>}), not by the Stripe event: {@code checkout.session.completed} and
 * {@code checkout.session.async_payment_succeeded} are two events for one payment. A reversal is keyed by
 * its Stripe event ({@code stripe:<event id>}) or, for a dispute, by the dispute. The Stripe ids are in
 * the reference (the Checkout Session, charge or dispute) and the note.
 */
public final class TopUpLedger {

    private TopUpLedger() {
    }

    public static String creditId(String topupId) {
        return "topup:" + topupId;
    }

    public static LedgerEntry credit(TopUp order, Payment payment) {
        return LedgerEntry.of(order.accountId(), creditId(order.topupId()), LedgerType.TOPUP, order.amount(), payment.at(),
                payment.sessionId(), "Stripe top-up " + order.topupId() + ": event " + payment.eventId()
                        + ", checkout session " + payment.sessionId() + ", payment_intent " + payment.paymentIntentId());
    }

    /** The part of a credit that pays what the account owed after earlier refunds or lost disputes. */
    public static LedgerEntry debtPaid(TopUp order, Payment payment, Money paid, Money owed) {
        return LedgerEntry.of(order.accountId(), creditId(order.topupId()) + ":debt", LedgerType.REFUND, paid.negate(),
                payment.at(), payment.sessionId(), "top-up " + order.topupId() + " pays " + paid.display() + " of the "
                        + owed.display() + " owed after refunds or lost disputes");
    }

    /**
     * @param taken     what the balance gave back
     * @param shortfall what it could not, now owed
     */
    public static LedgerEntry reversal(TopUp order, Reversal reversal, Money taken, Money shortfall) {
        String what = reversal.kind() == ReversalKind.REFUND ? "Stripe refund" : "Stripe dispute lost";
        String note = what + " of top-up " + order.topupId() + ": event " + reversal.eventId() + ", "
                + reversal.reference() + ", payment_intent " + order.paymentIntentId()
                + (shortfall.isPositive() ? "; " + shortfall.display() + " exceeded the balance and is owed" : "");
        return LedgerEntry.of(order.accountId(), reversal.entryId(), LedgerType.REFUND, taken.negate(), reversal.at(),
                reversal.reference(), note);
    }
}
