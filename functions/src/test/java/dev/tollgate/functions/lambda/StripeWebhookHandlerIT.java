package dev.tollgate.functions.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.accounts.AccountService;
import dev.tollgate.billing.BalanceStore;
import dev.tollgate.money.Money;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code stripe-webhook} function's handler, in-process: {@code events/api/stripe-webhook.json} (the API
 * Gateway event) carrying Stripe's payloads from {@code events/stripe/}, signed at send time as Stripe does.
 * The function's context gets only what CDK gives it: the webhook signing secret's ARN, read from the fake
 * Secrets Manager; no admin token, no Stripe API key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StripeWebhookHandlerIT {

    private LambdaHarness harness;
    private ApplicationContext context;
    private StripeWebhookHandler handler;

    @BeforeAll
    void start() {
        harness = LambdaHarness.start();
        context = harness.context(FunctionRole.STRIPE_WEBHOOK, Map.of()).build();
        handler = new StripeWebhookHandler(context);
    }

    @AfterAll
    void stop() {
        handler.close();
        context.close();
        harness.close();
    }

    @Test
    void aPaidCheckoutCreditsTheStoredAmountOnceHoweverOftenItIsDelivered() throws Exception {
        AccountService.Opened opened = context.getBean(AccountService.class).open("webhook", Money.parseDollars("1.00"));
        String accountId = opened.account().accountId();
        String topupId = "topup_lambda_it_1";
        TopUpStore orders = context.getBean(TopUpStore.class);
        Instant now = Instant.now();
        orders.create(TopUp.pending(topupId, accountId, opened.key().keyId(), Money.parseDollars("10.00"), now));
        orders.attachSession(topupId, "cs_test_lambda_it_1", "https://checkout.stripe.com/c/pay/cs_test_lambda_it_1",
                now.plusSeconds(3600));
        String payload = stripe("checkout.session.completed.json", Map.of("EVENT_ID", "evt_lambda_it_1",
                "TOPUP_ID", topupId, "ACCOUNT_ID", accountId, "SESSION_ID", "cs_test_lambda_it_1",
                "PAYMENT_INTENT", "pi_lambda_it_1"));

        APIGatewayProxyResponseEvent first = deliver(payload, sign(payload, LambdaHarness.WEBHOOK_SECRET));
        APIGatewayProxyResponseEvent again = deliver(payload, sign(payload, LambdaHarness.WEBHOOK_SECRET));

        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(200);
        JsonNode body = LambdaHarness.json(first.getBody(), JsonNode.class);
        assertThat(body.path("received").asBoolean()).isTrue();
        assertThat(body.path("event_id").asText()).isEqualTo("evt_lambda_it_1");
        assertThat(body.path("outcome").asText()).isEqualTo("credited");
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(LambdaHarness.json(again.getBody(), JsonNode.class).path("outcome").asText()).isEqualTo("duplicate");
        assertThat(context.getBean(BalanceStore.class).balance(accountId)).contains(Money.parseDollars("11.00"));
    }

    @Test
    void anEventTypeTollgateDoesNotUseIsAcknowledged() throws Exception {
        String payload = stripe("customer.created.json", Map.of("EVENT_ID", "evt_lambda_it_2"));

        APIGatewayProxyResponseEvent response = deliver(payload, sign(payload, LambdaHarness.WEBHOOK_SECRET));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(LambdaHarness.json(response.getBody(), JsonNode.class).path("outcome").asText()).isEqualTo("ignored");
    }

    @Test
    void aSignatureMadeWithAnotherSecretIsRefused() throws Exception {
        String payload = stripe("customer.created.json", Map.of("EVENT_ID", "evt_lambda_it_3"));

        APIGatewayProxyResponseEvent response = deliver(payload, sign(payload, "whsec_someone_else"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(LambdaHarness.json(response.getBody(), JsonNode.class).path("error").path("type").asText())
                .isEqualTo("invalid_request_error");
    }

    private APIGatewayProxyResponseEvent deliver(String payload, String signature) {
        APIGatewayProxyRequestEvent event = LambdaHarness.event("api/stripe-webhook.json",
                Map.of("STRIPE_PAYLOAD", payload, "STRIPE_SIGNATURE", signature));
        assertThat(event.getBody()).isEqualTo(payload);
        return handler.handleRequest(event, new MockLambdaContext());
    }

    /** A sample from events/stripe/ with its {@code __NAME__} placeholders filled, as send.sh does. */
    private static String stripe(String file, Map<String, String> values) throws Exception {
        String text = Files.readString(LambdaHarness.EVENTS.resolve(Path.of("stripe", file)));
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("__" + value.getKey() + "__", value.getValue());
        }
        return text;
    }

    /** {@code Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<payload>">}, Stripe's scheme. */
    private static String sign(String payload, String secret) throws Exception {
        long t = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] digest = mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8));
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(digest);
    }
}
