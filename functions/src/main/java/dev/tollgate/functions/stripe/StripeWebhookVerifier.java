package dev.tollgate.functions.stripe;

import com.google.gson.JsonParseException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.StripeObject;
import com.stripe.net.ApiResource;
import com.stripe.net.Webhook;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.topups.PaymentEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the {@code Stripe-Signature} of a webhook payload with the endpoint's signing secret and turns
 * the payload into a {@link PaymentEvent}. The signature covers the exact bytes received, so the body
 * is verified before it is parsed; a signature older than the tolerance (Stripe's default, 5 minutes)
 * is refused, which stops a captured request from being replayed later.
 *
 * <p>The secret is read from configuration on every call, not copied: after a SnapStart restore (or any
 * configuration refresh) a rotated secret is in force at once.
 */
public final class StripeWebhookVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(StripeWebhookVerifier.class);

    private final Supplier<String> secrets;
    private final Duration tolerance;
    private final Clock clock;

    /** @param secrets the endpoint's signing secret ({@code whsec_...}) as configured now; null or blank when none is */
    public StripeWebhookVerifier(Supplier<String> secrets, Duration tolerance, Clock clock) {
        this.secrets = secrets;
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /**
     * The verified event, or 400 for a missing, wrong, stale or tampered signature (503 when no secret is
     * set). A correctly signed payload that is not a readable Stripe event is {@link PaymentEvent.Unreadable}.
     */
    public PaymentEvent verify(byte[] body, String signatureHeader) {
        String secret = secrets.get();
        if (secret == null || secret.isBlank()) {
            // 5xx, not 4xx: Stripe keeps redelivering, so no payment is lost while the operator sets the secret.
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Stripe webhooks are not configured on this "
                    + "Tollgate (tollgate.stripe.webhook-secret, TOLLGATE_STRIPE_WEBHOOK_SECRET).");
        }
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw invalid("The Stripe-Signature header is missing: only Stripe may call this endpoint.");
        }
        String payload = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        try {
            // The signature first, on the exact bytes: nothing unsigned is parsed at all.
            Webhook.Signature.verifyHeader(payload, signatureHeader, secret.strip(), tolerance.toSeconds(), clock);
        } catch (SignatureVerificationException e) {
            LOG.warn("refused a Stripe webhook: {}", e.getMessage());
            throw invalid("The Stripe-Signature does not match this payload and the endpoint's signing secret, "
                    + "or it is older than " + tolerance.toSeconds() + " seconds.");
        }
        return read(payload);
    }

    /**
     * The signed payload as a {@link PaymentEvent}. Stripe signed it, so what cannot be read is acknowledged
     * as {@link PaymentEvent.Unreadable} rather than refused: Stripe retries any non-2xx answer for days, and
     * would only send the same bytes again.
     */
    private static PaymentEvent read(String payload) {
        StripeEnvelope envelope = StripeEnvelope.check(payload);
        if (!envelope.readable()) {
            return new PaymentEvent.Unreadable(envelope.eventId(), envelope.type(), envelope.problem());
        }
        Event event;
        try {
            // What Webhook.constructEvent does after checking the signature, which is done above.
            event = StripeObject.deserializeStripeObject(payload, Event.class, ApiResource.getGlobalResponseGetter());
        } catch (JsonParseException e) {
            return new PaymentEvent.Unreadable(envelope.eventId(), envelope.type(), "stripe-java cannot read it: "
                    + e.getMessage());
        }
        try {
            return StripeEventMapper.map(event);
        } catch (UnreadableEventException e) {
            return new PaymentEvent.Unreadable(event.getId(), event.getType(), e.getMessage());
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, message);
    }
}
