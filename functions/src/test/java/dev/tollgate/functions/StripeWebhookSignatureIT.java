package dev.tollgate.functions;

import static dev.tollgate.functions.support.StripeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.support.StripeEvents;
import dev.tollgate.functions.support.StripeFixture;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import dev.tollgate.topups.TopUpState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * POST /webhooks/stripe only acts on events signed with the endpoint's secret within the last 5 minutes:
 * every other delivery is a 400 that changes nothing. Each refused delivery below is a paid
 * {@code checkout.session.completed} for a real pending top-up, so accepting it would have credited $10.
 */
class StripeWebhookSignatureIT {

    static StripeFixture f;

    @BeforeAll
    static void start() {
        f = StripeFixture.start();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void aValidSignatureIsAccepted() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");

        HttpResponse<String> response = f.deliver("checkout.session.completed", topUp);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("outcome").asText()).isEqualTo("credited");
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("10.00"));
    }

    @Test
    void badSignaturesAreRefusedAndChangeNothing() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");
        String payload = StripeEvents.load("checkout.session.completed", topUp.values());
        Instant now = Instant.now();
        String valid = StripeEvents.signature(payload, StripeEvents.SECRET, now);

        List<HttpResponse<String>> refused = List.of(
                StripeEvents.send(f.server.baseUrl(), payload, StripeEvents.signature(payload, "whsec_someone_else", now)),
                StripeEvents.send(f.server.baseUrl(), payload,
                        StripeEvents.signature(payload, StripeEvents.SECRET, now.minus(Duration.ofSeconds(301)))),
                StripeEvents.send(f.server.baseUrl(), payload.replace("\"amount_total\": 1000", "\"amount_total\": 100000"), valid),
                StripeEvents.send(f.server.baseUrl(), payload + " ", valid),
                StripeEvents.send(f.server.baseUrl(), payload, null),
                StripeEvents.send(f.server.baseUrl(), payload, "t=" + now.getEpochSecond() + ",v1=00ff"),
                StripeEvents.send(f.server.baseUrl(), payload, "not a signature"));

        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(json(response).at("/error/type").asText()).isEqualTo("invalid_request_error");
        });
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.ZERO);
        assertThat(f.server.ledger(account.accountId())).hasSize(1); // the opening entry only
        assertThat(f.order(topUp).state()).isEqualTo(TopUpState.PENDING);
    }

    @Test
    void aSignatureJustInsideTheToleranceIsAccepted() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");
        String payload = StripeEvents.load("checkout.session.completed", topUp.values());

        HttpResponse<String> response = StripeEvents.send(f.server.baseUrl(), payload,
                StripeEvents.signature(payload, StripeEvents.SECRET, Instant.now().minus(Duration.ofSeconds(240))));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void anUnknownEventTypeIsAcknowledgedAndIgnored() {
        HttpResponse<String> response = StripeEvents.send(f.server.baseUrl(),
                StripeEvents.load("customer.created", Map.of("EVENT_ID", StripeFixture.newEventId())));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("outcome").asText()).isEqualTo("ignored");
        assertThat(json(response).get("type").asText()).isEqualTo("customer.created");
    }

    @Test
    void withoutAWebhookSecretEveryDeliveryIs503SoStripeKeepsTheEvent() {
        try (StripeFixture unconfigured = StripeFixture.start(Map.of("tollgate.stripe.webhook-secret", ""))) {
            String payload = StripeEvents.load("customer.created", Map.of("EVENT_ID", StripeFixture.newEventId()));

            HttpResponse<String> response = unconfigured.deliver(payload);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(json(response).at("/error/message").asText()).contains("TOLLGATE_STRIPE_WEBHOOK_SECRET");
        }
    }
}
