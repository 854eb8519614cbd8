package dev.tollgate.topups;

import dev.tollgate.topups.PaymentEvent.ChargeRefunded;
import dev.tollgate.topups.PaymentEvent.CheckoutPaid;
import dev.tollgate.topups.PaymentEvent.CheckoutUnpaid;
import dev.tollgate.topups.PaymentEvent.DisputeChanged;
import dev.tollgate.topups.PaymentEvent.Ignored;
import dev.tollgate.topups.PaymentEvent.RefundFailed;
import dev.tollgate.topups.PaymentEvent.Unreadable;
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
 * {@code async_payment_succeeded} for one session credit once between them), a refund only debits the
 * increase of Stripe's cumulative amount over what the order already recorded, and a dispute or a failed
 * refund moves money only on its own recorded transition ({@link ReversalWebhooks}).
 */
public final class TopUpWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(TopUpWebhooks.class);

    private final TopUpStore store;
    private final Clock clock;
    private final ReversalWebhooks reversals;
    private final OffSessionWebhooks offSession;

    public TopUpWebhooks(TopUpStore store, Clock clock) {
        this(store, clock, OffSessionListener.NONE);
    }

    /** @param listener told of saved cards and of auto top-ups' results (auto top-up) */
    public TopUpWebhooks(TopUpStore store, Clock clock, OffSessionListener listener) {
        this.store = store;
        this.clock = clock;
        this.reversals = new ReversalWebhooks(store, clock);
        this.offSession = new OffSessionWebhooks(store, clock, listener);
    }

    public WebhookOutcome handle(PaymentEvent event) {
        WebhookOutcome outcome = switch (event) {
            case CheckoutPaid paid -> credit(paid);
            case CheckoutUnpaid unpaid -> close(unpaid);
            case ChargeRefunded refund -> reversals.refund(refund);
            case DisputeChanged dispute -> reversals.dispute(dispute);
            case RefundFailed failed -> reversals.refundFailed(failed);
            case PaymentEvent.PaymentIntentSucceeded succeeded -> offSession.succeeded(succeeded);
            case PaymentEvent.PaymentIntentFailed failed -> offSession.failed(failed);
            case Ignored ignored -> Outcomes.of(Result.IGNORED, null, ignored.reason());
            case Unreadable unreadable -> Outcomes.of(Result.IGNORED, null, unreadable.reason());
        };
        if (event instanceof Unreadable) {
            // One line, no stack trace: Stripe signed it, so it is worth a look, but it is not our failure.
            LOG.warn("stripe event {} ({}) ignored, unreadable: {}", event.eventId(), event.type(), outcome.message());
        } else {
            LOG.info("stripe event {} ({}): {} {}{}", event.eventId(), event.type(), outcome.result().wire(),
                    outcome.topupId() == null ? "" : outcome.topupId() + " ", outcome.message());
        }
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
