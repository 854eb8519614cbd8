package dev.tollgate.functions.stripe;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.EventDataObjectDeserializer;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import dev.tollgate.topups.PaymentEvent;
import dev.tollgate.topups.TopUpState;
import java.util.Map;

/**
 * Reduces a verified Stripe {@link Event} to a {@link PaymentEvent}. Handled types:
 * {@code checkout.session.completed} and {@code checkout.session.async_payment_succeeded} (paid when
 * {@code payment_status=paid}), {@code checkout.session.expired}, {@code checkout.session.async_payment_failed},
 * {@code charge.refunded} and {@code charge.dispute.closed} (lost only). Everything else is ignored.
 */
final class StripeEventMapper {

    private StripeEventMapper() {
    }

    static PaymentEvent map(Event event) {
        String id = event.getId();
        String type = event.getType();
        return switch (type) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" -> paid(event, (Session) object(event));
            case "checkout.session.expired" -> unpaid(event, (Session) object(event), TopUpState.EXPIRED);
            case "checkout.session.async_payment_failed" -> unpaid(event, (Session) object(event), TopUpState.FAILED);
            case "charge.refunded" -> refunded(event, (Charge) object(event));
            case "charge.dispute.closed" -> disputeClosed(event, (Dispute) object(event));
            default -> new PaymentEvent.Ignored(id, type, "event type not handled");
        };
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

    private static PaymentEvent disputeClosed(Event event, Dispute dispute) {
        if (!"lost".equals(dispute.getStatus())) {
            return new PaymentEvent.Ignored(event.getId(), event.getType(), "dispute " + dispute.getId() + " closed "
                    + dispute.getStatus() + ": nothing to take back");
        }
        return new PaymentEvent.DisputeLost(event.getId(), event.getType(), dispute.getId(), dispute.getCharge(),
                dispute.getPaymentIntent(), dispute.getAmount() == null ? 0 : dispute.getAmount(), dispute.getCurrency());
    }

    /**
     * The event's object. stripe-java only hands it out when the event's API version is the library's
     * own ({@code getObject()} is empty otherwise); the fields read here are stable across versions, so
     * other versions are read with {@code deserializeUnsafe()}.
     */
    private static StripeObject object(Event event) {
        EventDataObjectDeserializer data = event.getDataObjectDeserializer();
        return data.getObject().orElseGet(() -> {
            try {
                return data.deserializeUnsafe();
            } catch (EventDataObjectDeserializationException e) {
                throw new IllegalArgumentException("cannot read the " + event.getType() + " object of event "
                        + event.getId() + " (API version " + event.getApiVersion() + ")", e);
            }
        });
    }

    private static String topupId(Map<String, String> metadata) {
        String id = metadata == null ? null : metadata.get(StripeCheckoutGateway.TOPUP_ID);
        return id == null || id.isBlank() ? null : id;
    }
}
