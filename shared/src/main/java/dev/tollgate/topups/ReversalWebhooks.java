package dev.tollgate.topups;

import dev.tollgate.money.Money;
import dev.tollgate.topups.PaymentEvent.ChargeRefunded;
import dev.tollgate.topups.PaymentEvent.DisputeChanged;
import dev.tollgate.topups.PaymentEvent.RefundFailed;
import dev.tollgate.topups.TopUpStore.DisputeApplied;
import dev.tollgate.topups.TopUpStore.DisputeChange;
import dev.tollgate.topups.TopUpStore.Refund;
import dev.tollgate.topups.TopUpStore.RefundFailure;
import dev.tollgate.topups.TopUpStore.RefundReturned;
import dev.tollgate.topups.TopUpWebhooks.Outcomes;
import dev.tollgate.topups.WebhookOutcome.Result;
import java.time.Clock;
import java.util.Optional;

/**
 * The webhook events that move money after a top-up was paid: refunds, disputes, failed refunds. Each
 * finds its paid order and hands the store one change; the store decides, from what the order recorded,
 * whether it moves money, so the order in which Stripe delivers them does not matter.
 */
final class ReversalWebhooks {

    private final TopUpStore store;
    private final Clock clock;

    ReversalWebhooks(TopUpStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    WebhookOutcome refund(ChargeRefunded refund) {
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
        TopUpStore.Reversed done = store.refund(order.get(), new Refund(UsdCents.toMoney(refund.amountRefundedCents()),
                "stripe:" + refund.eventId(), refund.eventId(), refund.chargeId(), clock.instant()));
        if (!done.applied()) {
            return Outcomes.of(Result.DUPLICATE, order.get().topupId(), "nothing more to take back");
        }
        return Outcomes.of(Result.DEBITED, order.get().topupId(), done.debited().display() + " taken back" + owed(done.shortfall()));
    }

    WebhookOutcome dispute(DisputeChanged dispute) {
        Optional<TopUp> order = paidOrder(dispute.paymentIntentId(), dispute.currency());
        if (order.isEmpty()) {
            return Outcomes.of(Result.IGNORED, null, "dispute " + dispute.disputeId() + " is not on a Tollgate top-up");
        }
        String topupId = order.get().topupId();
        DisputeApplied done = store.dispute(order.get(), new DisputeChange(dispute.disputeId(), dispute.target(),
                UsdCents.toMoney(dispute.amountCents()), dispute.eventId(), dispute.status(), clock.instant()));
        String which = "dispute " + dispute.disputeId() + " (" + dispute.status() + ")";
        return switch (done.step()) {
            case TOOK -> Outcomes.of(Result.DEBITED, topupId, done.amount().display() + " held while " + which
                    + " is open" + owed(done.debt()));
            case GAVE_BACK -> Outcomes.of(Result.CREDITED, topupId, done.amount().display() + " given back: " + which
                    + " released" + paying(done.debt()));
            case RECORDED -> Outcomes.of(Result.RECORDED, topupId, which + " now " + dispute.target().wire()
                    + (dispute.target() == DisputeTarget.HELD ? "; refunds and other disputes left nothing to hold"
                    : " before anything was held: nothing will be taken for it"));
            case UNCHANGED -> Outcomes.of(Result.DUPLICATE, topupId, which + ": already held or released, nothing changed");
        };
    }

    WebhookOutcome refundFailed(RefundFailed failed) {
        Optional<TopUp> order = paidOrder(failed.paymentIntentId(), failed.currency());
        if (order.isEmpty()) {
            return Outcomes.of(Result.IGNORED, null, "refund " + failed.refundId() + " is not on a Tollgate top-up");
        }
        String topupId = order.get().topupId();
        RefundReturned done = store.refundFailed(order.get(), new RefundFailure(failed.refundId(),
                UsdCents.toMoney(failed.amountCents()), failed.eventId(), clock.instant()));
        Money amount = UsdCents.toMoney(failed.amountCents());
        return switch (done.step()) {
            case RETURNED -> Outcomes.of(Result.CREDITED, topupId, amount.display() + " given back: refund "
                    + failed.refundId() + " failed" + paying(done.debtPaid()));
            case ALREADY -> Outcomes.of(Result.DUPLICATE, topupId, "refund " + failed.refundId() + " was given back before");
            // Its charge.refunded has not been applied yet: giving it back first would return money never taken.
            case NOT_TAKEN_YET -> Outcomes.of(Result.RETRY_LATER, topupId, "refund " + failed.refundId() + " failed before "
                    + "the refund itself was recorded; Stripe will redeliver the event");
        };
    }

    /** The paid order of a USD PaymentIntent; empty for another currency or a payment that is not a top-up. */
    private Optional<TopUp> paidOrder(String paymentIntentId, String currency) {
        if (paymentIntentId == null || !"usd".equalsIgnoreCase(currency)) {
            return Optional.empty();
        }
        return store.findByPaymentIntent(paymentIntentId).filter(o -> o.state() == TopUpState.PAID);
    }

    private static String owed(Money shortfall) {
        return shortfall.isPositive() ? "; " + shortfall.display() + " exceeded the balance and is owed: the account's "
                + "keys are blocked until a top-up covers it" : "";
    }

    private static String paying(Money debtPaid) {
        return debtPaid.isPositive() ? ", of which " + debtPaid.display() + " paid the account's debt" : "";
    }
}
