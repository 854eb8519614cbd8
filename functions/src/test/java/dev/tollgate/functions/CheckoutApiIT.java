package dev.tollgate.functions;

import static dev.tollgate.functions.support.StripeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.support.FakeStripe;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.StripeFixture;
import dev.tollgate.functions.support.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/billing/checkout and GET /v1/billing/topups against a fake Stripe API that records each request. */
class CheckoutApiIT {

    static StripeFixture f;
    static URI checkout;

    @BeforeAll
    static void start() {
        f = StripeFixture.start();
        checkout = f.api("/v1/billing/checkout");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @BeforeEach
    void reset() {
        f.stripe.reset();
    }

    @Test
    void createsAPendingTopUpAndAStripeCheckoutSession() {
        TestServer.Account account = f.server.openAccount("1.00");

        HttpResponse<String> response = Http.post(checkout, account.key(), "{\"amount_usd\":\"10.00\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = json(response);
        String topupId = body.get("topup_id").asText();
        assertThat(topupId).startsWith("topup_");
        assertThat(body.get("session_id").asText()).startsWith("cs_test_");
        assertThat(body.get("checkout_url").asText()).startsWith("https://checkout.stripe.com/c/pay/cs_test_");
        assertThat(body.get("status").asText()).isEqualTo("pending");
        assertThat(body.get("amount_usd").asText()).isEqualTo("10.000000");
        assertThat(body.get("expires_at").asText()).isNotBlank();

        FakeStripe.Request sent = f.stripe.requests().getFirst();
        assertThat(sent.path()).isEqualTo("/v1/checkout/sessions");
        assertThat(sent.headers()).containsEntry("authorization", "Bearer " + StripeFixture.API_KEY)
                .containsEntry("idempotency-key", "checkout-" + topupId);
        assertThat(sent.form()).containsEntry("mode", "payment")
                .containsEntry("client_reference_id", account.accountId())
                .containsEntry("metadata[topup_id]", topupId)
                .containsEntry("metadata[account_id]", account.accountId())
                .containsEntry("payment_intent_data[metadata][topup_id]", topupId)
                .containsEntry("line_items[0][quantity]", "1")
                .containsEntry("line_items[0][price_data][currency]", "usd")
                .containsEntry("line_items[0][price_data][unit_amount]", "1000")
                .containsEntry("success_url", "https://app.example/paid?topup=" + topupId + "&session={CHECKOUT_SESSION_ID}")
                .containsEntry("cancel_url", "https://app.example/cancelled?topup=" + topupId);
    }

    @Test
    void theTopUpCanBeReadBackAndIsListedNewestFirst() {
        TestServer.Account account = f.server.openAccount("1.00");
        StripeFixture.TopUp first = f.checkout(account, "5.00");
        StripeFixture.TopUp second = f.checkout(account, "25.50");

        HttpResponse<String> one = Http.get(f.api("/v1/billing/topups/" + first.topupId()), account.key());
        HttpResponse<String> list = Http.get(f.api("/v1/billing/topups"), account.key());

        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).get("session_id").asText()).isEqualTo(first.sessionId());
        assertThat(json(one).get("status").asText()).isEqualTo("pending");
        assertThat(json(one).get("amount_usd").asText()).isEqualTo("5.000000");
        assertThat(json(list).get("data").findValuesAsText("topup_id")).containsExactly(second.topupId(), first.topupId());
        TestServer.Account stranger = f.server.openAccount("1.00");
        assertThat(Http.get(f.api("/v1/billing/topups/" + first.topupId()), stranger.key()).statusCode()).isEqualTo(404);
    }

    @Test
    void amountsOutsideTheLimitsOrInFractionsOfACentAreRefusedBeforeStripeIsCalled() {
        TestServer.Account account = f.server.openAccount("1.00");

        for (String body : List.of("{\"amount_usd\":\"4.99\"}", "{\"amount_usd\":\"1000.01\"}", "{\"amount_usd\":\"10.001\"}",
                "{\"amount_usd\":\"-10.00\"}", "{\"amount_usd\":\"ten\"}", "{}")) {
            HttpResponse<String> response = Http.post(checkout, account.key(), body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(json(response).at("/error/param").asText()).as(body).isEqualTo("amount_usd");
        }
        assertThat(json(Http.post(checkout, account.key(), "{\"amount_usd\":\"4.99\"}")).at("/error/message").asText())
                .contains("$5.00").contains("$1000.00");
        assertThat(Http.post(checkout, account.key(), "{\"amount_usd\":\"1000.00\"}").statusCode()).isEqualTo(201);
        assertThat(Http.post(checkout, account.key(), "{\"amount_usd\":5}").statusCode()).isEqualTo(201);
        assertThat(f.stripe.requests()).hasSize(2);
    }

    @Test
    void anInferenceKeyMayNotTopUp() {
        TestServer.Account account = f.server.openAccount("1.00");
        HttpResponse<String> created = Http.post(f.api("/v1/keys"), account.key(), "{\"name\":\"ci\",\"role\":\"inference\"}");
        String inferenceKey = json(created).get("key").asText();

        HttpResponse<String> response = Http.post(checkout, inferenceKey, "{\"amount_usd\":\"10.00\"}");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).at("/error/message").asText()).contains("management key");
        assertThat(Http.post(checkout, null, "{\"amount_usd\":\"10.00\"}").statusCode()).isEqualTo(401);
        assertThat(f.stripe.requests()).isEmpty();
    }

    @Test
    void aStripeFailureIs502AndLeavesAFailedTopUpNotAPendingOne() {
        TestServer.Account account = f.server.openAccount("1.00");
        f.stripe.failWith(400);

        HttpResponse<String> response = Http.post(checkout, account.key(), "{\"amount_usd\":\"10.00\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertThat(json(response).at("/error/message").asText()).contains("Stripe").contains("Nothing was charged");
        JsonNode listed = json(Http.get(f.api("/v1/billing/topups"), account.key())).get("data").get(0);
        assertThat(listed.get("status").asText()).isEqualTo("failed");
        assertThat(listed.get("session_id").isNull()).isTrue();
    }

    @Test
    void aStripeAnswerWithoutASessionIs502AndLeavesAFailedTopUpNotAPendingOne() {
        for (String answer : List.of("null", "{}", "{\"id\":\"cs_test_nourl\",\"object\":\"checkout.session\",\"url\":null}",
                "{\"id\":{},\"object\":\"checkout.session\"}", "[]")) {
            TestServer.Account account = f.server.openAccount("1.00");
            f.stripe.answerSessionsWith(answer);

            HttpResponse<String> response = Http.post(checkout, account.key(), "{\"amount_usd\":\"10.00\"}");

            assertThat(response.statusCode()).as(answer + " -> " + response.body()).isEqualTo(502);
            assertThat(json(response).at("/error/code").asText()).isEqualTo("gateway_error");
            assertThat(json(response).at("/error/message").asText()).as(answer)
                    .contains("Stripe answered without a checkout session").contains("Nothing was charged");
            JsonNode listed = json(Http.get(f.api("/v1/billing/topups"), account.key())).get("data");
            assertThat(listed).as(answer).singleElement().satisfies(t -> assertThat(t.get("status").asText()).isEqualTo("failed"));
        }
    }

    @Test
    void withoutAStripeApiKeyCheckoutIs503() {
        try (StripeFixture unconfigured = StripeFixture.start(Map.of("tollgate.stripe.api-key", ""))) {
            TestServer.Account account = unconfigured.server.openAccount("1.00");

            HttpResponse<String> response = Http.post(unconfigured.api("/v1/billing/checkout"), account.key(),
                    "{\"amount_usd\":\"10.00\"}");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(json(response).at("/error/message").asText()).contains("TOLLGATE_STRIPE_API_KEY");
            assertThat(unconfigured.stripe.requests()).isEmpty();
        }
    }
}
