package dev.tollgate.functions.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import dev.tollgate.autotopup.OffSessionPayments;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Auto top-ups: one confirmed, off-session PaymentIntent on the customer's saved card. Its metadata carries
 * {@code topup_id}, {@code account_id} and {@code kind=auto}, which is how {@code payment_intent.succeeded} finds
 * and credits the order (Checkout's own PaymentIntents are credited by their session's events instead).
 *
 * <p>What Stripe answers: 200 with {@code status} {@code succeeded} or {@code processing} (accepted: the webhook
 * credits it), or {@code requires_action} (the bank wants the customer to authenticate: refused, as nobody is
 * there); or 402 {@code card_error} with {@code code} {@code card_declined} or {@code authentication_required} and
 * the PaymentIntent in {@code error.payment_intent} (refused). Other failures (network, 5xx, 429) are thrown and
 * retried later with the same idempotency key.
 */
public final class StripeOffSessionPayments implements OffSessionPayments {

    static final String KIND = "kind";
    static final String AUTO = "auto";

    private final Supplier<String> apiKeys;
    private final Function<String, StripeClient> clients;
    private volatile StripeClient client;
    private volatile String clientKey;

    public StripeOffSessionPayments(Supplier<String> apiKeys, Function<String, StripeClient> clients) {
        this.apiKeys = apiKeys;
        this.clients = clients;
    }

    @Override
    public Outcome charge(Charge charge) {
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(charge.amountCents())
                .setCurrency("usd")
                .setCustomer(charge.customerId())
                .setPaymentMethod(charge.paymentMethodId())
                .setOffSession(true)
                .setConfirm(true)
                .setDescription("Tollgate auto top-up " + charge.topupId())
                .putMetadata(StripeCheckoutGateway.TOPUP_ID, charge.topupId())
                .putMetadata(StripeCheckoutGateway.ACCOUNT_ID, charge.accountId())
                .putMetadata(KIND, AUTO)
                .build();
        try {
            PaymentIntent intent = client().v1().paymentIntents().create(params,
                    RequestOptions.builder().setIdempotencyKey(charge.idempotencyKey()).build());
            String status = intent.getStatus();
            if ("succeeded".equals(status) || "processing".equals(status)) {
                return Outcome.accepted(intent.getId());
            }
            return Outcome.refused(intent.getId(), "requires_action".equals(status) ? "authentication_required" : status,
                    "the payment is " + status + " and needs the customer");
        } catch (CardException e) {
            PaymentIntent intent = e.getStripeError() == null ? null : e.getStripeError().getPaymentIntent();
            String code = e.getCode() == null ? "card_declined" : e.getCode();
            String detail = e.getDeclineCode() != null && !e.getDeclineCode().equals(code) ? " (" + e.getDeclineCode() + ")" : "";
            String message = e.getStripeError() != null && e.getStripeError().getMessage() != null
                    ? e.getStripeError().getMessage() : "declined";
            return Outcome.refused(intent == null ? null : intent.getId(), code, message + detail);
        } catch (StripeException e) {
            throw new IllegalStateException("Stripe: " + e.getMessage() + " (status " + e.getStatusCode() + ")", e);
        }
    }

    private StripeClient client() {
        String apiKey = apiKeys.get();
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalStateException("no Stripe API key configured (tollgate.stripe.api-key)");
        }
        if (client == null || !apiKey.strip().equals(clientKey)) {
            clientKey = apiKey.strip();
            client = clients.apply(clientKey);
        }
        return client;
    }
}
