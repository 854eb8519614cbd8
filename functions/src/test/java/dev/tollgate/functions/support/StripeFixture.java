package dev.tollgate.functions.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.money.Money;
import dev.tollgate.topups.TopUpStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A {@link TestServer} wired to a {@link FakeStripe} with the sample events' signing secret, and the
 * steps every top-up test takes: open a checkout through the API, then deliver Stripe's events for it.
 */
public final class StripeFixture implements AutoCloseable {

    public static final String API_KEY = "sk_test_tollgate_fake_key";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final FakeStripe stripe;
    public final TestServer server;

    private StripeFixture(FakeStripe stripe, TestServer server) {
        this.stripe = stripe;
        this.server = server;
    }

    public static StripeFixture start() {
        return start(Map.of());
    }

    public static StripeFixture start(Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("tollgate.stripe.success-url", "https://app.example/paid?topup={TOPUP_ID}&session={CHECKOUT_SESSION_ID}");
        properties.put("tollgate.stripe.cancel-url", "https://app.example/cancelled?topup={TOPUP_ID}");
        properties.putAll(overrides);
        return startWithDefaultReturnUrls(properties);
    }

    /**
     * Checkout returns to the console's billing page (no return URLs configured), and the fake serves the hosted
     * Checkout page a browser is sent to; the console's CSP lets forms go there.
     */
    public static StripeFixture startForBrowser(Map<String, Object> overrides) {
        FakeStripe stripe = FakeStripe.start();
        stripe.hostCheckoutPages();
        Map<String, Object> properties = new HashMap<>(overrides);
        properties.put("tollgate.console.checkout-origins", stripe.apiBase());
        return start(stripe, properties);
    }

    /** No return URLs: Checkout comes back to the console's billing page on the server's own base URL. */
    public static StripeFixture startWithDefaultReturnUrls(Map<String, Object> overrides) {
        return start(FakeStripe.start(), overrides);
    }

    private static StripeFixture start(FakeStripe stripe, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("tollgate.stripe.api-key", API_KEY);
        properties.put("tollgate.stripe.webhook-secret", StripeEvents.SECRET);
        properties.put("tollgate.stripe.api-base", stripe.apiBase());
        properties.putAll(overrides);
        return new StripeFixture(stripe, TestServer.start(properties));
    }

    /** A top-up started through the API, with the PaymentIntent id Stripe will report once it is paid. */
    public record TopUp(String topupId, String sessionId, String accountId, String paymentIntent, String chargeId) {

        /** The placeholders of the sample events for this top-up, with a fresh event id. */
        public Map<String, String> values() {
            return values(newEventId());
        }

        public Map<String, String> values(String eventId) {
            return Map.of("EVENT_ID", eventId, "TOPUP_ID", topupId, "ACCOUNT_ID", accountId, "SESSION_ID", sessionId,
                    "PAYMENT_INTENT", paymentIntent, "CHARGE_ID", chargeId, "DISPUTE_ID", "du_" + suffix(),
                    "REFUND_ID", "re_" + suffix());
        }
    }

    /** POST /v1/billing/checkout with the account's management key; fails the test unless 201. */
    public TopUp checkout(TestServer.Account account, String dollars) {
        HttpResponse<String> response = Http.post(server.apiBase().resolve("/v1/billing/checkout"), account.key(),
                "{\"amount_usd\":\"" + dollars + "\"}");
        if (response.statusCode() != 201) {
            throw new AssertionError("checkout answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode body = json(response);
        return new TopUp(body.get("topup_id").asText(), body.get("session_id").asText(), account.accountId(),
                "pi_test_" + suffix(), "ch_test_" + suffix());
    }

    /** A checkout of {@code dollars} paid by its {@code checkout.session.completed}; fails the test unless credited. */
    public TopUp paidTopUp(TestServer.Account account, String dollars) {
        TopUp topUp = checkout(account, dollars);
        pay(topUp, dollars);
        return topUp;
    }

    /** Delivers the signed {@code checkout.session.completed} of {@code dollars} for a top-up; fails unless credited. */
    public void pay(TopUp topUp, String dollars) {
        long cents = Money.parseDollars(dollars).micros() / 10_000;
        String paid = StripeEvents.edit(StripeEvents.load("checkout.session.completed", topUp.values()), e -> {
            StripeEvents.object(e).put("amount_total", cents);
            StripeEvents.object(e).put("amount_subtotal", cents);
        });
        HttpResponse<String> response = deliver(paid);
        if (response.statusCode() != 200 || !"credited".equals(json(response).path("outcome").asText())) {
            throw new AssertionError("the paid event answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** The sample event {@code name} for {@code topUp}, signed now and delivered. */
    public HttpResponse<String> deliver(String name, TopUp topUp) {
        return deliver(StripeEvents.load(name, topUp.values()));
    }

    public HttpResponse<String> deliver(String payload) {
        return StripeEvents.send(server.baseUrl(), payload);
    }

    /** The stored order, read consistently. */
    public dev.tollgate.topups.TopUp order(TopUp topUp) {
        return server.context().getBean(TopUpStore.class).find(topUp.topupId()).orElseThrow();
    }

    public URI api(String path) {
        return server.apiBase().resolve(path);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    public static String newEventId() {
        return "evt_test_" + suffix();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    @Override
    public void close() {
        server.close();
        stripe.close();
    }
}
