package dev.tollgate.topups;

import dev.tollgate.topups.PaymentEvent.PaymentIntentFailed;
import dev.tollgate.topups.PaymentEvent.PaymentIntentSucceeded;
import dev.tollgate.topups.TopUpWebhooks.Outcomes;
import dev.tollgate.topups.WebhookOutcome.Result;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PaymentIntent events. An auto top-up (metadata {@code kind=auto}) has no Checkout Session, so its
 * {@code payment_intent.succeeded} credits its order, through the same conditional transaction as a Checkout
 * ({@link TopUpStore#credit}): once, however often it is delivered. A Checkout's own PaymentIntent carries the same
 * {@code topup_id} but is never credited here (its session's events do that, so it cannot be credited twice); it
 * only reports the card the Checkout saved.
 */
final class OffSessionWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(OffSessionWebhooks.class);

    private final TopUpStore store;
    private final Clock clock;
    private final OffSessionListener listener;

    OffSessionWebhooks(TopUpStore store, Clock clock, OffSessionListener listener) {
        this.store = store;
        this.clock = clock;
        this.listener = listener;
    }

    WebhookOutcome succeeded(PaymentIntentSucceeded paid) {
        if (paid.topupId() == null) {
            return Outcomes.of(Result.IGNORED, null, "not a Tollgate top-up (no topup_id in the metadata)");
        }
        Optional<TopUp> found = store.find(paid.topupId());
        if (found.isEmpty()) {
            return paid.auto() ? Outcomes.missingOrder(paid.topupId())
                    : Outcomes.of(Result.IGNORED, paid.topupId(), "unknown top-up");
        }
        TopUp order = found.get();
        if (!paid.auto()) {
            if (paid.savedForOffSession() && paid.customerId() != null && paid.paymentMethodId() != null) {
                listener.paymentMethodSaved(order.accountId(), paid.customerId(), paid.paymentMethodId());
                return Outcomes.of(Result.RECORDED, order.topupId(), "card saved for auto top-up; the checkout "
                        + "session's events credit the payment");
            }
            return Outcomes.of(Result.IGNORED, order.topupId(), "a Checkout payment: its session's events credit it");
        }
        if (order.state() == TopUpState.PAID || order.state() == TopUpState.REVIEW) {
            return Outcomes.of(Result.DUPLICATE, order.topupId(), "already " + order.state().wire());
        }
        String mismatch = mismatch(order, paid);
        if (mismatch != null) {
            store.close(order.topupId(), TopUpState.REVIEW, paid.eventId(), mismatch);
            LOG.error("auto top-up {} NOT credited, needs review: {} (event {})", order.topupId(), mismatch, paid.eventId());
            return Outcomes.of(Result.REVIEW, order.topupId(), mismatch);
        }
        // No Checkout Session: the PaymentIntent is what paid, and is recorded as both.
        TopUpStore.Credit credit = store.credit(order, new TopUpStore.Payment(paid.eventId(), paid.paymentIntentId(),
                paid.paymentIntentId(), clock.instant()));
        if (!credit.credited()) {
            return Outcomes.of(Result.DUPLICATE, order.topupId(), "credited by a concurrent delivery");
        }
        listener.succeeded(order.accountId(), order.topupId());
        return Outcomes.of(Result.CREDITED, order.topupId(), order.amount().display() + " (auto top-up)");
    }

    private static String mismatch(TopUp order, PaymentIntentSucceeded paid) {
        if (!"usd".equalsIgnoreCase(paid.currency()) || paid.amountCents() != UsdCents.of(order.amount())) {
            return "Stripe reports " + paid.amountCents() + " " + paid.currency() + " paid for an order of "
                    + order.amount().display();
        }
        if (paid.accountId() != null && !paid.accountId().equals(order.accountId())) {
            return "the payment names account " + paid.accountId() + ", the order " + order.accountId();
        }
        return null;
    }

    WebhookOutcome failed(PaymentIntentFailed failed) {
        if (failed.topupId() == null || !failed.auto()) {
            return Outcomes.of(Result.IGNORED, failed.topupId(), "not an auto top-up: the customer retries in Checkout");
        }
        Optional<TopUp> found = store.find(failed.topupId());
        if (found.isEmpty()) {
            return Outcomes.missingOrder(failed.topupId());
        }
        TopUp order = found.get();
        if (order.state() == TopUpState.PAID || order.state() == TopUpState.REVIEW) {
            return Outcomes.of(Result.IGNORED, order.topupId(), "already " + order.state().wire());
        }
        listener.failed(order.accountId(), order.topupId(), failed.code(), failed.message());
        return Outcomes.of(Result.CLOSED, order.topupId(), "auto top-up failed (" + failed.code() + "): now failed");
    }
}
