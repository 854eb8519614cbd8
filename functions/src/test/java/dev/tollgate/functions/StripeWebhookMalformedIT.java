package dev.tollgate.functions;

import static dev.tollgate.functions.support.StripeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.Stripe;
import dev.tollgate.functions.support.LogCapture;
import dev.tollgate.functions.support.StripeEvents;
import dev.tollgate.functions.support.StripeFixture;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import dev.tollgate.topups.TopUpState;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Correctly signed payloads that are not readable Stripe events. Stripe retries every non-2xx answer for up
 * to three days and would only send the same bytes again, so each is acknowledged with 200 and
 * {@code "outcome": "ignored"}, changes nothing, and is logged once at WARN without a stack trace (it
 * used to be a 500: a NullPointerException inside stripe-java or the mapper). Each payload below started as
 * a paid {@code checkout.session.completed} for a real pending top-up, so acting on it would credit $10.
 */
class StripeWebhookMalformedIT {

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
    void anEmptyBodyIsIgnored() {
        assertIgnoredAndNothingChanged(topUp -> "", "the body is empty");
    }

    @Test
    void aBodyThatIsNotJsonIsIgnored() {
        assertIgnoredAndNothingChanged(topUp -> "{\"id\": \"evt_", "the body is not JSON");
    }

    @Test
    void aNullTypeIsIgnored() {
        assertIgnoredAndNothingChanged(paid(e -> e.putNull("type")), "'type' is missing");
    }

    @Test
    void aNullDataIsIgnored() {
        assertIgnoredAndNothingChanged(paid(e -> e.putNull("data")), "'data' is missing or not an object");
    }

    @Test
    void anEmptyDataObjectIsIgnored() {
        assertIgnoredAndNothingChanged(paid(e -> ((ObjectNode) e.get("data")).putObject("object")),
                "'data.object.object' (the object's type) is missing");
    }

    @Test
    void aNullDataObjectIsIgnored() {
        assertIgnoredAndNothingChanged(paid(e -> ((ObjectNode) e.get("data")).putNull("object")),
                "'data.object' is missing or not an object");
    }

    @Test
    void anArrayDataObjectIsIgnored() {
        assertIgnoredAndNothingChanged(paid(e -> ((ObjectNode) e.get("data")).putArray("object")),
                "'data.object' is missing or not an object");
    }

    @Test
    void anEventIdSentAsAnObjectIsIgnored() {
        assertIgnoredAndNothingChanged(paid(e -> e.putObject("id").put("id", "evt_nested")), "'id' is missing or not a string");
    }

    @Test
    void aDataObjectIdSentAsAnObjectIsIgnored() {
        assertIgnoredAndNothingChanged(paid(e -> StripeEvents.object(e).putObject("id")), "'data.object.id' is not a string");
    }

    @Test
    void anEventWithoutApiVersionIsIgnored() {
        assertIgnoredAndNothingChanged(paid(e -> e.remove("api_version")), "'api_version' is missing");
    }

    @Test
    void aSessionWhoseMetadataIsNotAMapIsIgnored() {
        assertIgnoredAndNothingChanged(paid(e -> StripeEvents.object(e).putArray("metadata").add("topup_id")),
                "cannot be read as a Session");
    }

    @Test
    void aSessionMissingItsIdIsIgnored() {
        assertIgnoredAndNothingChanged(paid(e -> StripeEvents.object(e).remove("id")), "has no id");
    }

    /**
     * The samples are in another API version than stripe-java's own, so their objects are read with
     * {@code deserializeUnsafe()}: expected, and not worth a log line, let alone an ERROR with a stack trace.
     */
    @Test
    void everySampleInAnotherApiVersionIsReadWithoutAWarningOrAStackTrace() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");
        StripeFixture.TopUp expiring = f.checkout(account, "10.00");
        List<String> samples = List.of("checkout.session.completed", "checkout.session.async_payment_succeeded",
                "charge.refunded", "charge.refund.updated", "charge.dispute.created", "charge.dispute.funds_withdrawn",
                "charge.dispute.funds_reinstated", "charge.dispute.closed", "customer.created");
        String[] sampleVersion = new String[1];
        StripeEvents.edit(StripeEvents.load("customer.created", topUp.values()), e -> sampleVersion[0] = e.get("api_version").asText());

        List<HttpResponse<String>> responses;
        List<ILoggingEvent> logged;
        try (LogCapture logs = LogCapture.start()) {
            Map<String, String> ids = new HashMap<>(topUp.values()); // one dispute and one refund id for all
            responses = new ArrayList<>(samples.stream().map(name -> {
                ids.put("EVENT_ID", StripeFixture.newEventId());
                return f.deliver(StripeEvents.load(name, ids));
            }).toList());
            responses.add(f.deliver("checkout.session.expired", expiring));
            logged = logs.warnings();
        }

        assertThat(sampleVersion[0]).as("the samples' API version").isNotEqualTo(Stripe.API_VERSION);
        assertThat(responses).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).get("message").asText()).doesNotContain("unreadable");
        });
        assertThat(responses.stream().map(r -> json(r).get("outcome").asText())).containsExactly("credited", "duplicate",
                "debited", "credited", "debited", "duplicate", "credited", "duplicate", "ignored", "closed");
        assertThat(logged).isEmpty();
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("10.00"));
        assertThat(f.server.ledgerSum(account.accountId())).isEqualTo(Money.parseDollars("10.00"));
    }

    /** A payload built from the top-up's paid checkout.session.completed. */
    private interface Payload {
        String of(StripeFixture.TopUp topUp);
    }

    private static Payload paid(Consumer<ObjectNode> change) {
        return topUp -> StripeEvents.edit(StripeEvents.load("checkout.session.completed", topUp.values()), change);
    }

    private static void assertIgnoredAndNothingChanged(Payload payload, String reason) {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");
        String body = payload.of(topUp);

        HttpResponse<String> response;
        List<ILoggingEvent> logged;
        try (LogCapture logs = LogCapture.start()) {
            response = f.deliver(body);
            logged = logs.warnings();
        }

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("outcome").asText()).isEqualTo("ignored");
        assertThat(json(response).get("message").asText()).contains(reason);
        assertThat(logged).as("one WARN line, no ERROR, no stack trace").singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("unreadable", reason);
            assertThat(e.getThrowableProxy()).isNull();
        });
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.ZERO);
        assertThat(f.server.ledger(account.accountId())).hasSize(1); // the opening entry only
        assertThat(f.order(topUp).state()).isEqualTo(TopUpState.PENDING);
        assertThat(json(f.deliver("checkout.session.completed", topUp)).get("outcome").asText())
                .as("the real event still credits it").isEqualTo("credited");
    }
}
