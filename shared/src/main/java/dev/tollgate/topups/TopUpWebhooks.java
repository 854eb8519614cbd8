package dev.tollgate.topups;

import dev.tollgate.topups.PaymentEvent.ChargeRefunded;
import dev.tollgate.topups.PaymentEvent.CheckoutPaid;
import dev.tollgate.topups.PaymentEvent.CheckoutUnpaid;
import dev.tollgate.topups.PaymentEvent.DisputeLost;
import dev.tollgate.topups.PaymentEvent.Ignored;
import dev.tollgate.topups.TopUpStore.Reversal;
import dev.tollgate.topups.TopUpStore.ReversalKind;
import dev.tollgate.topups.WebhookOutcome.Result;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook use case: applies one verified payment event to its top-up, exactly once however often, in
 * whatever order and however concurrently Stripe delivers it.
 *
 * <p>Exactly once comes from the store's conditional transactions, not from remembering event ids here:
 * a paid order cannot be paid again (so {@code checkout.session.completed} and
 * {@code async_payment_succeeded} for one session credit once between them), and a reversal only
 * debits the increase of Stripe's cumulative amount over what the order already recorded.
 */
public final class TopUpWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(TopUpWebhooks.class);

    private final TopUpStore store;
    private final Clock clock;

    public TopUpWebhooks(TopUpStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public WebhookOutcome handle(PaymentEvent event) {
        WebhookOutcome outcome = switch (event) {
            case CheckoutPaid paid -> credit(paid);
            case CheckoutUnpaid unpaid -> close(unpaid);
            case ChargeRefunded refund -> refund(refund);
            case DisputeLost dispute -> dispute(dispute);
            case Ignored ignored -> Outcomes.of(Result.IGNORED, null, ignored.reason());
        };
        LOG.info("stripe event {} ({}): {} {}{}", event.eventId(), event.type(), outcome.result().wire(),
                outcome.topupId() == null ? "" : outcome.topupId() + " ", outcome.message());
        return outcome;
    }

    private WebhookOutcome credit(CheckoutPaid paid) {
        if (paid.topupId() == null) {
            return Outcomes.of(Result.IGNORED, null, "not a Tollgate top-up (no topup_id in the session metadata)");
        }
        Optional<TopUp> found = store.find(paid.topupId());
        if (found.isEmpty()) {
            return Outcomes.missingOrder(paid.topupId());
        }
        TopUp order = found.get();
        if (order.state() == TopUpState.PAID || order.state() == TopUpState.REVIEW) {
            return Outcomes.of(Result.DUPLICATE, order.topupId(), "already " + order.state().wire() + " (event "
                    + order.paidEventId() + ")");
        }
        String mismatch = mismatch(order, paid);
        if (mismatch != null) {
            store.close(order.topupId(), TopUpState.REVIEW, paid.eventId(), mismatch);
            LOG.error("top-up {} NOT credited, needs review: {} (event {})", order.topupId(), mismatch, paid.eventId());
            return Outcomes.of(Result.REVIEW, order.topupId(), mismatch);
        }
        TopUpStore.Credit credit = store.credit(order, new TopUpStore.Payment(paid.eventId(), paid.sessionId(),
                paid.paymentIntentId(), clock.instant()));
        if (!credit.credited()) {
            return Outcomes.of(Result.DUPLICATE, order.topupId(), "credited by a concurrent delivery");
        }
        return Outcomes.of(Result.CREDITED, order.topupId(), order.amount().display()
                + (credit.debtPaid().isPositive() ? ", of which " + credit.debtPaid().display() + " paid the account's debt" : ""));
    }

    /** Why the payment does not match the order, or null. The amount credited is always the order's own. */
    private static String mismatch(TopUp order, CheckoutPaid paid) {
        if (!"usd".equalsIgnoreCase(paid.currency()) || paid.amountTotalCents() != UsdCents.of(order.amount())) {
            return "Stripe reports " + paid.amountTotalCents() + " " + paid.currency() + " paid for an order of "
                    + order.amount().display();
        }
        if (paid.clientReferenceId() != null && !paid.clientReferenceId().equals(order.accountId())) {
            return "the session names account " + paid.clientReferenceId() + ", the order " + order.accountId();
        }
        if (order.sessionId() != null && !order.sessionId().equals(paid.sessionId())) {
            return "paid by session " + paid.sessionId() + ", the order's session is " + order.sessionId();
        }
        return null;
    }

    private WebhookOutcome close(CheckoutUnpaid unpaid) {
        if (unpaid.topupId() == null) {
            return Outcomes.of(Result.IGNORED, null, "not a Tollgate top-up");
        }
        boolean closed = store.close(unpaid.topupId(), unpaid.outcome(), unpaid.eventId(), unpaid.type());
        return Outcomes.of(closed ? Result.CLOSED : Result.IGNORED, unpaid.topupId(),
                closed ? "now " + unpaid.outcome().wire() : "unknown, paid or already closed: unchanged");
    }

    private WebhookOutcome refund(ChargeRefunded refund) {
        Optional<TopUp> order = refund.topupId() != null ? store.find(refund.topupId())
                : Optional.ofNullable(refund.paymentIntentId()).flatMap(store::findByPaymentIntent);
        if (order.isEmpty()) {
            return refund.topupId() == null
                    ? Outcomes.of(Result.IGNORED, null, "charge " + refund.chargeId() + " is not a Tollgate top-up")
                    : Outcomes.missingOrder(refund.topupId());
        }
        if (order.get().state() == TopUpState.REVIEW) {
            return Outcomes.of(Result.IGNORED, order.get().topupId(), "the top-up was never credited (in review)");
        }
        if (order.get().state() != TopUpState.PAID) {
            // Refunded before the credit was applied (the paid event is still on its way): apply it after.
            return Outcomes.of(Result.RETRY_LATER, order.get().topupId(), "refund arrived before the top-up was "
                    + "credited; Stripe will redeliver it");
        }
        if (!"usd".equalsIgnoreCase(refund.currency())) {
            return Outcomes.of(Result.IGNORED, order.get().topupId(), "refund in " + refund.currency());
        }
        Reversal reversal = new Reversal(ReversalKind.REFUND, UsdCents.toMoney(refund.amountRefundedCents()),
                "stripe:" + refund.eventId(), refund.eventId(), refund.chargeId(), clock.instant());
        return reverse(order.get(), reversal);
    }

    private WebhookOutcome dispute(DisputeLost dispute) {
        Optional<TopUp> order = Optional.ofNullable(dispute.paymentIntentId()).flatMap(store::findByPaymentIntent);
        if (order.isEmpty() || !"usd".equalsIgnoreCase(dispute.currency())) {
            return Outcomes.of(Result.IGNORED, null, "dispute " + dispute.disputeId() + " is not on a Tollgate top-up");
        }
        // One dispute per charge: its amount is the cumulative disputed total of the payment.
        Reversal reversal = new Reversal(ReversalKind.DISPUTE, UsdCents.toMoney(dispute.amountCents()),
                "stripe-dispute:" + dispute.disputeId(), dispute.eventId(), dispute.disputeId(), clock.instant());
        return reverse(order.get(), reversal);
    }

    private WebhookOutcome reverse(TopUp order, Reversal reversal) {
        TopUpStore.Reversed done = store.reverse(order, reversal);
        if (!done.applied()) {
            return Outcomes.of(Result.DUPLICATE, order.topupId(), "nothing more to take back");
        }
        String owed = done.shortfall().isPositive() ? "; " + done.shortfall().display() + " exceeded the balance and is "
                + "owed: the account's keys are blocked until a top-up covers it" : "";
        return Outcomes.of(Result.DEBITED, order.topupId(), done.debited().display() + " taken back" + owed);
    }

    /** Outcome constructors, kept apart so the handlers above read as decisions. */
    static final class Outcomes {

        private Outcomes() {
        }

        static WebhookOutcome of(Result result, String topupId, String message) {
            return new WebhookOutcome(result, topupId, message);
        }

        /**
         * The event names a top-up this deployment does not know. The order is written (and read back
         * consistently) before its Checkout Session exists, so a paying event can only outrun it
         * transiently, e.g. a table being restored or a lagging replica. Acknowledging would drop a paid
         * top-up for good; a 5xx makes Stripe redeliver (with backoff, for up to three days), and the
         * delivery that finds the order credits it once, through the same conditional write.
         */
        static WebhookOutcome missingOrder(String topupId) {
            return of(Result.RETRY_LATER, topupId, "no such top-up here (yet); Stripe will redeliver the event");
        }
    }
}
