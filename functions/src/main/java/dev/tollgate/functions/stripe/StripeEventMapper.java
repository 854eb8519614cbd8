package dev.tollgate.functions.stripe;

import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.EventDataObjectDeserializer;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import dev.tollgate.topups.DisputeTarget;
import dev.tollgate.topups.PaymentEvent;
import dev.tollgate.topups.TopUpState;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reduces a verified Stripe {@link Event} to a {@link PaymentEvent}. Handled types:
 * {@code checkout.session.completed} and {@code checkout.session.async_payment_succeeded} (paid when
 * {@code payment_status=paid}), {@code checkout.session.expired}, {@code checkout.session.async_payment_failed},
 * {@code charge.refunded}, the refund updates that report a failed refund, and the dispute events
 * ({@link #disputeTarget}). Everything else is ignored.
 */
final class StripeEventMapper {

    /** Dispute statuses after which nothing stays withdrawn: won, an inquiry closed, prevented, or settled by a refund. */
    private static final Set<String> RELEASED = Set.of("won", "warning_closed", "prevented", "charge_refunded");
    /** Open (inquiry or chargeback) or lost: the disputed amount is, or may be, gone. */
    private static final Set<String> HELD = Set.of("warning_needs_response", "warning_under_review", "needs_response",
            "under_review", "lost");

    private StripeEventMapper() {
    }

    /** @throws UnreadableEventException when the event's object cannot be read as its type's object */
    static PaymentEvent map(Event event) {
        return switch (event.getType()) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" -> paid(event, object(event, Session.class));
            case "checkout.session.expired" -> unpaid(event, object(event, Session.class), TopUpState.EXPIRED);
            case "checkout.session.async_payment_failed" -> unpaid(event, object(event, Session.class), TopUpState.FAILED);
            case "charge.refunded" -> refunded(event, object(event, Charge.class));
            // charge.refund.updated is what the endpoint subscribes to; refund.updated and refund.failed carry
            // the same object, and giving a refund back is once per refund id, so receiving several is harmless.
            case "charge.refund.updated", "refund.updated", "refund.failed" -> refundUpdated(event, object(event, Refund.class));
            case "charge.dispute.created", "charge.dispute.funds_withdrawn", "charge.dispute.funds_reinstated",
                 "charge.dispute.closed" -> dispute(event, object(event, Dispute.class));
            case "payment_intent.succeeded" -> intentSucceeded(event, object(event, PaymentIntent.class));
            case "payment_intent.payment_failed" -> intentFailed(event, object(event, PaymentIntent.class));
            default -> new PaymentEvent.Ignored(event.getId(), event.getType(), "event type not handled");
        };
    }

    private static boolean auto(Map<String, String> metadata) {
        return metadata != null && StripeOffSessionPayments.AUTO.equals(metadata.get(StripeOffSessionPayments.KIND));
    }

    private static PaymentEvent intentSucceeded(Event event, PaymentIntent intent) {
        Map<String, String> metadata = intent.getMetadata();
        return new PaymentEvent.PaymentIntentSucceeded(event.getId(), event.getType(), topupId(metadata),
                metadata == null ? null : metadata.get(StripeCheckoutGateway.ACCOUNT_ID), auto(metadata), intent.getId(),
                intent.getAmountReceived() != null ? intent.getAmountReceived() : intent.getAmount() == null ? -1 : intent.getAmount(),
                intent.getCurrency(), intent.getCustomer(), intent.getPaymentMethod(),
                "off_session".equals(intent.getSetupFutureUsage()));
    }

    private static PaymentEvent intentFailed(Event event, PaymentIntent intent) {
        Map<String, String> metadata = intent.getMetadata();
        com.stripe.model.StripeError error = intent.getLastPaymentError();
        return new PaymentEvent.PaymentIntentFailed(event.getId(), event.getType(), topupId(metadata),
                metadata == null ? null : metadata.get(StripeCheckoutGateway.ACCOUNT_ID), auto(metadata), intent.getId(),
                error == null ? "payment_failed" : error.getCode(), error == null ? null : error.getMessage());
    }

    private static PaymentEvent paid(Event event, Session session) {
        if (!"paid".equals(session.getPaymentStatus())) {
            // Asynchronous methods (bank debits) complete the session first and pay later.
            return new PaymentEvent.Ignored(event.getId(), event.getType(), "payment_status is "
                    + session.getPaymentStatus() + "; waiting for checkout.session.async_payment_succeeded");
        }
        return new PaymentEvent.CheckoutPaid(event.getId(), event.getType(), topupId(session.getMetadata()),
                session.getClientReferenceId(), session.getId(), session.getPaymentIntent(),
                session.getAmountTotal() == null ? -1 : session.getAmountTotal(), session.getCurrency());
    }

    private static PaymentEvent unpaid(Event event, Session session, TopUpState outcome) {
        return new PaymentEvent.CheckoutUnpaid(event.getId(), event.getType(), topupId(session.getMetadata()),
                session.getId(), outcome);
    }

    private static PaymentEvent refunded(Event event, Charge charge) {
        return new PaymentEvent.ChargeRefunded(event.getId(), event.getType(), charge.getId(), charge.getPaymentIntent(),
                topupId(charge.getMetadata()), charge.getAmountRefunded() == null ? 0 : charge.getAmountRefunded(),
                charge.getCurrency());
    }

    private static PaymentEvent refundUpdated(Event event, Refund refund) {
        if (!"failed".equals(refund.getStatus())) {
            return new PaymentEvent.Ignored(event.getId(), event.getType(), "refund " + refund.getId() + " is "
                    + refund.getStatus() + ": only a failed refund gives money back");
        }
        if (refund.getAmount() == null || refund.getAmount() <= 0) {
            return new PaymentEvent.Unreadable(event.getId(), event.getType(), "failed refund " + refund.getId()
                    + " has no amount");
        }
        return new PaymentEvent.RefundFailed(event.getId(), event.getType(), refund.getId(), refund.getCharge(),
                refund.getPaymentIntent(), refund.getAmount(), refund.getCurrency());
    }

    private static PaymentEvent dispute(Event event, Dispute dispute) {
        DisputeTarget target = disputeTarget(event.getType(), dispute.getStatus());
        if (target == null) {
            return new PaymentEvent.Ignored(event.getId(), event.getType(), "dispute " + dispute.getId() + " has status "
                    + dispute.getStatus() + ": nothing to do");
        }
        if (dispute.getAmount() == null || dispute.getAmount() < 0) {
            // Recording a hold of nothing would stop the real hold later: refuse to read it instead.
            return new PaymentEvent.Unreadable(event.getId(), event.getType(), "dispute " + dispute.getId() + " has no amount");
        }
        return new PaymentEvent.DisputeChanged(event.getId(), event.getType(), dispute.getId(), dispute.getCharge(),
                dispute.getPaymentIntent(), dispute.getAmount(), dispute.getCurrency(), dispute.getStatus(), target);
    }

    /**
     * Where a dispute event leaves the money. Funds withdrawn and reinstated say it by their type; the others
     * by the dispute's status. A dispute just created is held whatever its status says (inquiries included:
     * most become chargebacks, and a stolen card would spend the credit meanwhile). Null: nothing to do.
     */
    private static DisputeTarget disputeTarget(String type, String status) {
        return switch (type) {
            case "charge.dispute.funds_withdrawn" -> DisputeTarget.HELD;
            case "charge.dispute.funds_reinstated" -> DisputeTarget.RELEASED;
            case "charge.dispute.created" -> RELEASED.contains(status) ? DisputeTarget.RELEASED : DisputeTarget.HELD;
            default -> RELEASED.contains(status) ? DisputeTarget.RELEASED : HELD.contains(status) ? DisputeTarget.HELD : null;
        };
    }

    /**
     * The event's object. stripe-java only hands it out when the event's API version is the library's
     * own ({@code getObject()} is empty otherwise); the fields read here are stable across versions, so
     * other versions are read with {@code deserializeUnsafe()}. That is expected, not an error: a failure
     * to read is reported as {@link UnreadableEventException}, without a stack trace in the logs.
     */
    private static <T extends StripeObject> T object(Event event, Class<T> type) {
        StripeObject object;
        try {
            EventDataObjectDeserializer data = event.getDataObjectDeserializer();
            Optional<StripeObject> sameVersion = data.getObject();
            object = sameVersion.isPresent() ? sameVersion.get() : data.deserializeUnsafe();
        } catch (Exception e) {
            // stripe-java reports unreadable JSON in several ways (its own checked exception, Gson's runtime
            // ones); the body is signed by Stripe, so whichever it is, the event itself is at fault.
            throw new UnreadableEventException("its data.object cannot be read as a " + type.getSimpleName()
                    + " (API version " + event.getApiVersion() + "): " + detail(e.getMessage()));
        }
        if (!type.isInstance(object)) {
            throw new UnreadableEventException("its data.object is a " + (object == null ? "nothing" : object.getClass()
                    .getSimpleName()) + ", not a " + type.getSimpleName());
        }
        if (object instanceof com.stripe.model.HasId identified && identified.getId() == null) {
            throw new UnreadableEventException("its " + type.getSimpleName() + " has no id");
        }
        return type.cast(object);
    }

    /** The part of stripe-java's message that says what was wrong, without its advice on API versions. */
    private static String detail(String message) {
        if (message == null) {
            return "no detail";
        }
        String marker = "Original error message: ";
        String detail = message.contains(marker) ? message.substring(message.lastIndexOf(marker) + marker.length()) : message;
        detail = detail.lines().findFirst().orElse("");
        return detail.length() > 300 ? detail.substring(0, 300) + "..." : detail;
    }

    private static String topupId(Map<String, String> metadata) {
        String id = metadata == null ? null : metadata.get(StripeCheckoutGateway.TOPUP_ID);
        return id == null || id.isBlank() ? null : id;
    }
}
