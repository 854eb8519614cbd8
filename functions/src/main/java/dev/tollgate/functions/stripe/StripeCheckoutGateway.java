package dev.tollgate.functions.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionCreateParams.LineItem;
import com.stripe.param.checkout.SessionCreateParams.LineItem.PriceData;
import com.stripe.param.checkout.SessionCreateParams.LineItem.PriceData.ProductData;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.topups.CheckoutGateway;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates one Stripe Checkout Session (mode {@code payment}) per top-up. The account is the session's
 * {@code client_reference_id}; the top-up id is in the metadata of the session and of its PaymentIntent
 * (Stripe copies a PaymentIntent's metadata onto the charge it creates, which is how a
 * {@code charge.refunded} event finds its top-up). The top-up id is also the idempotency key, so a
 * retried call returns the same session instead of a second one.
 *
 * <p>The client is built on first use from the API key configured then, and rebuilt if the key changes
 * (a SnapStart restore or configuration refresh brought a rotated one), so no key is kept from a snapshot.
 */
public final class StripeCheckoutGateway implements CheckoutGateway {

    static final String TOPUP_ID = "topup_id";
    static final String ACCOUNT_ID = "account_id";
    private static final Logger LOG = LoggerFactory.getLogger(StripeCheckoutGateway.class);

    private final Supplier<String> apiKeys;
    private final Function<String, StripeClient> clients;
    private final Function<String, String> customers;
    private volatile Client current;

    private record Client(String apiKey, StripeClient stripe) {
    }

    /**
     * @param apiKeys the Stripe secret key as configured now; null or blank when none is (checkouts then answer 503)
     * @param clients builds the client for a key
     */
    public StripeCheckoutGateway(Supplier<String> apiKeys, Function<String, StripeClient> clients) {
        this(apiKeys, clients, accountId -> null);
    }

    /** @param customers the Stripe Customer an account's earlier Checkout created, or null (auto top-up saves it) */
    public StripeCheckoutGateway(Supplier<String> apiKeys, Function<String, StripeClient> clients,
                                 Function<String, String> customers) {
        this.apiKeys = apiKeys;
        this.clients = clients;
        this.customers = customers;
    }

    @Override
    public CheckoutSession create(CheckoutRequest request) {
        StripeClient stripe = client();
        if (stripe == null) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Top-ups are not available: this Tollgate has no "
                    + "Stripe API key (tollgate.stripe.api-key, TOLLGATE_STRIPE_API_KEY). Ask the operator.");
        }
        Session session;
        try {
            session = stripe.v1().checkout().sessions().create(params(request, customers.apply(request.accountId())),
                    RequestOptions.builder().setIdempotencyKey("checkout-" + request.topupId()).build());
        } catch (RuntimeException e) {
            // A 200 whose body is not a session: stripe-java fails on it in several ways (Gson's exceptions, a
            // NullPointerException for a JSON null). Errors and network failures are StripeExceptions, below.
            throw noSession(request, "an answer that is not a checkout session", e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        } catch (StripeException e) {
            if (Integer.valueOf(200).equals(e.getStatusCode())) {
                throw noSession(request, "an answer that is not a checkout session", e.getMessage());
            }
            LOG.warn("Stripe refused a checkout session for top-up {}: {} (request {})", request.topupId(),
                    e.getMessage(), e.getRequestId());
            throw new ApiException(ErrorCode.UPSTREAM_FAILED, "Stripe could not create the checkout session ("
                    + (e.getUserMessage() != null ? e.getUserMessage() : "status " + e.getStatusCode())
                    + "). Nothing was charged; try again in a moment.", null, java.util.Map.of(), e);
        }
        if (session == null || blank(session.getId()) || blank(session.getUrl())) {
            String what = session == null ? "no session" : blank(session.getId()) ? "a session without an id"
                    : "session " + session.getId() + " without a URL";
            throw noSession(request, what, what);
        }
        Instant expiresAt = session.getExpiresAt() == null ? null : Instant.ofEpochSecond(session.getExpiresAt());
        return new CheckoutSession(session.getId(), session.getUrl(), expiresAt);
    }

    /**
     * Stripe answered 200 with nothing a customer could pay on: a gateway failure, not ours and not the
     * caller's. The caller is told {@code what}; the log keeps the {@code detail}.
     */
    private static ApiException noSession(CheckoutRequest request, String what, String detail) {
        LOG.warn("Stripe answered a checkout session request for top-up {} with {}", request.topupId(), detail);
        return new ApiException(ErrorCode.UPSTREAM_FAILED, "Stripe answered without a checkout session to pay on ("
                + what + "). Nothing was charged; try again in a moment.");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private StripeClient client() {
        String apiKey = apiKeys.get();
        if (apiKey == null || apiKey.isBlank()) {
            return null;
        }
        Client client = current;
        if (client == null || !client.apiKey().equals(apiKey.strip())) {
            client = new Client(apiKey.strip(), clients.apply(apiKey.strip()));
            current = client;
        }
        return client.stripe();
    }

    static SessionCreateParams params(CheckoutRequest request) {
        return params(request, null);
    }

    /**
     * The card is saved for later off-session payments ({@code setup_future_usage=off_session}) on a Customer: the
     * account's existing one, or one Checkout creates. Its {@code payment_intent.succeeded} tells Tollgate both ids,
     * for auto top-ups.
     */
    static SessionCreateParams params(CheckoutRequest request, String customerId) {
        SessionCreateParams.Builder builder = SessionCreateParams.builder();
        if (customerId != null) {
            builder.setCustomer(customerId);
        } else {
            builder.setCustomerCreation(SessionCreateParams.CustomerCreation.ALWAYS);
        }
        return builder
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId(request.accountId())
                .putMetadata(TOPUP_ID, request.topupId())
                .putMetadata(ACCOUNT_ID, request.accountId())
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .putMetadata(TOPUP_ID, request.topupId())
                        .putMetadata(ACCOUNT_ID, request.accountId())
                        .setDescription("Tollgate credit top-up " + request.topupId())
                        .setSetupFutureUsage(SessionCreateParams.PaymentIntentData.SetupFutureUsage.OFF_SESSION)
                        .build())
                .addLineItem(LineItem.builder().setQuantity(1L)
                        .setPriceData(PriceData.builder().setCurrency("usd").setUnitAmount(request.amountCents())
                                .setProductData(ProductData.builder().setName("Tollgate prepaid credit").build())
                                .build())
                        .build())
                .setSuccessUrl(request.successUrl())
                .setCancelUrl(request.cancelUrl())
                .build();
    }
}
