package dev.tollgate.functions;

import static dev.tollgate.functions.support.StripeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.autotopup.AutoTopUp;
import dev.tollgate.autotopup.AutoTopUps;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.PaymentIntents;
import dev.tollgate.functions.support.StripeEvents;
import dev.tollgate.functions.support.StripeFixture;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import dev.tollgate.topups.TopUpState;
import dev.tollgate.topups.TopUpStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Auto top-up against the fake Stripe: the first Checkout saves the card, a settlement that takes the balance below
 * the threshold starts exactly one off-session PaymentIntent however many requests cross it at once, its signed
 * {@code payment_intent.succeeded} credits it once, a declined card or a bank asking for authentication switches auto
 * top-up off with a {@code topup_failed} alert, and the daily cap holds.
 */
class AutoTopUpIT {

    static final int MAX_TOKENS = 8000;
    static final String MESSAGES = "[{\"role\":\"user\",\"content\":\"Fill the tank\"}]";
    static StripeFixture f;
    static Money perRequest;

    @BeforeAll
    static void start() throws Exception {
        f = StripeFixture.start(Map.of("tollgate.stream.max-open-per-account", 0));
        int prompt = new TokenCounter().countPrompt("o200k_base", new ObjectMapper().readTree(MESSAGES), null);
        f.server.upstream().setDefault(Behavior.of("ok").usage(prompt, MAX_TOKENS));
        perRequest = f.server.context().getBean(Catalog.class).find("qwen3:latest").orElseThrow().pricing()
                .cost(prompt, MAX_TOKENS);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @BeforeEach
    void fresh() {
        f.stripe.reset();
    }

    @Test
    void aCrossingBy20ConcurrentRequestsStartsOnePaymentCreditedOnceByItsWebhook() throws Exception {
        TestServer.Account account = accountWithSavedCard(3);
        enable(account, "5.00", "20.00", "100.00");

        List<HttpResponse<String>> responses = Http.postAllAtOnce(f.api("/v1/chat/completions"), account.key(), body(), 20);

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        awaitState(account, s -> "started".equals(s.status()));
        AutoTopUp state = state(account);
        assertThat(state.crossing()).as("one crossing claimed").isEqualTo(1);
        assertThat(state.armed()).isFalse();
        List<PaymentIntents.Created> created = f.stripe.paymentIntents().created();
        assertThat(created).hasSize(1);
        PaymentIntents.Created intent = created.getFirst();
        assertThat(intent.form()).containsEntry("off_session", "true").containsEntry("confirm", "true")
                .containsEntry("amount", "2000").containsEntry("currency", "usd")
                .containsEntry("customer", "cus_test_saved").containsEntry("payment_method", "pm_test_saved")
                .containsEntry("metadata[kind]", "auto").containsEntry("metadata[account_id]", account.accountId());
        String topupId = AutoTopUps.orderId(account.accountId(), 1);
        assertThat(intent.form()).containsEntry("metadata[topup_id]", topupId);
        assertThat(f.stripe.requests()).filteredOn(r -> r.path().equals("/v1/payment_intents"))
                .allSatisfy(r -> assertThat(r.headers()).containsEntry("idempotency-key", "autotopup-" + account.accountId() + "-1"));
        Money before = f.server.balance(account.accountId());

        String succeeded = autoSucceeded(account, topupId, intent.id(), 2000);
        List<HttpResponse<String>> deliveries = concurrently(5, () -> f.deliver(succeeded));

        assertThat(deliveries).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        assertThat(deliveries.stream().map(r -> json(r).get("outcome").asText()))
                .containsOnly("credited", "duplicate").filteredOn("credited"::equals).hasSize(1);
        assertThat(f.server.balance(account.accountId())).isEqualTo(before.plus(Money.parseDollars("20.00")));
        assertThat(f.server.ledger(account.accountId())).filteredOn(e -> e.entryId().equals("topup:" + topupId)).hasSize(1);
        assertThat(f.server.ledgerSum(account.accountId())).isEqualTo(f.server.balance(account.accountId()));
        assertThat(f.server.context().getBean(TopUpStore.class).find(topupId).orElseThrow().state()).isEqualTo(TopUpState.PAID);
        awaitState(account, s -> "succeeded".equals(s.status()));
        JsonNode shown = json(Http.get(f.api("/v1/billing/auto-topup"), account.key()));
        assertThat(shown.get("last_result").asText()).isEqualTo("succeeded");
        assertThat(shown.get("today_usd").asText()).isEqualTo("20.000000");
    }

    @Test
    void aDeclinedCardSwitchesAutoTopUpOffAndRaisesTopupFailed() {
        assertSwitchedOff(PaymentIntents.Mode.DECLINE, "card_declined");
    }

    @Test
    void aBankAskingForAuthenticationSwitchesAutoTopUpOffAndRaisesTopupFailed() {
        assertSwitchedOff(PaymentIntents.Mode.AUTHENTICATION_REQUIRED, "authentication_required");
    }

    @Test
    void aPaymentThatRequiresActionCountsAsAuthenticationRequired() {
        assertSwitchedOff(PaymentIntents.Mode.REQUIRES_ACTION, "authentication_required");
    }

    private void assertSwitchedOff(PaymentIntents.Mode mode, String code) {
        TestServer.Account account = accountWithSavedCard(0);
        enable(account, "5.00", "10.00", "50.00");
        f.stripe.paymentIntents().answer(mode);

        assertThat(chat(account).statusCode()).isEqualTo(200);

        awaitState(account, s -> !s.enabled());
        AutoTopUp state = state(account);
        assertThat(state.status()).isEqualTo("failed");
        assertThat(state.reason()).contains(code);
        String topupId = AutoTopUps.orderId(account.accountId(), 1);
        assertThat(f.server.context().getBean(TopUpStore.class).find(topupId).orElseThrow().state()).isEqualTo(TopUpState.FAILED);
        JsonNode shown = json(Http.get(f.api("/v1/billing/auto-topup"), account.key()));
        assertThat(shown.get("enabled").asBoolean()).isFalse();
        assertThat(shown.get("reason").asText()).contains(code);
        awaitTrue(() -> json(Http.get(f.api("/v1/alerts"), account.key())).get("data").size() == 1);
        JsonNode alert = json(Http.get(f.api("/v1/alerts"), account.key())).get("data").get(0);
        assertThat(alert.get("type").asText()).isEqualTo("topup_failed");
        assertThat(alert.at("/data/code").asText()).isEqualTo(code);
        assertThat(f.stripe.paymentIntents().created()).hasSize(1);
        // Stripe's payment_intent.payment_failed for the same payment changes nothing more: no second alert.
        String failed = StripeEvents.load("payment_intent.payment_failed", Map.of("EVENT_ID", StripeFixture.newEventId(),
                "PAYMENT_INTENT", f.stripe.paymentIntents().created().getFirst().id(), "TOPUP_ID", topupId,
                "ACCOUNT_ID", account.accountId(), "CHARGE_ID", "ch_test_declined"));
        HttpResponse<String> response = f.deliver(failed);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(Http.get(f.api("/v1/alerts"), account.key())).get("data").size()).isEqualTo(1);
        // A balance that stays low never starts another one: it is off.
        assertThat(chat(account).statusCode()).isEqualTo(200);
        assertThat(f.stripe.paymentIntents().created()).hasSize(1);
    }

    @Test
    void theDailyCapSkipsASecondCrossingOnTheSameUtcDay() {
        TestServer.Account account = accountWithSavedCard(0);
        enable(account, "5.00", "5.00", "5.00");
        assertThat(chat(account).statusCode()).isEqualTo(200);
        awaitState(account, s -> "started".equals(s.status()));
        PaymentIntents.Created first = f.stripe.paymentIntents().created().getFirst();
        f.deliver(autoSucceeded(account, AutoTopUps.orderId(account.accountId(), 1), first.id(), 500));
        // Back above the threshold: the next settlement re-arms it.
        assertThat(chat(account).statusCode()).isEqualTo(200);
        awaitState(account, AutoTopUp::armed);
        // A threshold just under the balance, so the next requests cross it again on the same day.
        long cents = f.server.balance(account.accountId()).micros() / 10_000;
        patch(account, "{\"threshold_usd\":\"" + Money.ofMicros(cents * 10_000).toDollars() + "\"}");

        Money threshold = Money.ofMicros(cents * 10_000);
        for (int i = 0; i < 10 && !f.server.balance(account.accountId()).lessThan(threshold); i++) {
            assertThat(chat(account).statusCode()).isEqualTo(200);
        }
        awaitState(account, s -> s.crossing() == 2);

        AutoTopUp state = state(account);
        assertThat(state.status()).isEqualTo("daily_cap");
        assertThat(state.reason()).contains("$5.000000");
        assertThat(state.enabled()).isTrue();
        assertThat(f.stripe.paymentIntents().created()).hasSize(1);
    }

    @Test
    void settingsAreValidatedAndNeedASavedCardAndAManagementKey() {
        TestServer.Account account = f.server.openAccount("1.00");
        HttpResponse<String> noCard = ApiCalls.patch(f.api("/v1/billing/auto-topup"), account.key(),
                "{\"enabled\":true,\"threshold_usd\":\"5.00\",\"amount_usd\":\"20.00\",\"daily_cap_usd\":\"50.00\"}");
        assertThat(noCard.statusCode()).isEqualTo(400);
        assertThat(json(noCard).at("/error/param").asText()).isEqualTo("enabled");
        for (String[] bad : new String[][] {{"{\"amount_usd\":\"1.00\"}", "amount_usd"},
                {"{\"amount_usd\":\"20.001\"}", "amount_usd"}, {"{\"threshold_usd\":\"-1\"}", "threshold_usd"},
                {"{\"amount_usd\":\"20.00\",\"daily_cap_usd\":\"10.00\"}", "daily_cap_usd"},
                {"{\"enabled\":\"yes\"}", "enabled"}, {"[]", null}}) {
            HttpResponse<String> response = ApiCalls.patch(f.api("/v1/billing/auto-topup"), account.key(), bad[0]);
            assertThat(response.statusCode()).as(bad[0] + " → " + response.body()).isEqualTo(400);
            if (bad[1] != null) {
                assertThat(json(response).at("/error/param").asText()).as(bad[0]).isEqualTo(bad[1]);
            }
        }
        assertThat(state(account).version()).as("nothing written").isZero();
    }

    @Test
    void theConsoleBillingPageSavesAutoTopUpAndAlertSettingsWithCsrfAndShowsTheSecretOnce() {
        TestServer.Account account = accountWithSavedCard(5);
        dev.tollgate.functions.support.ConsoleHttp b = new dev.tollgate.functions.support.ConsoleHttp(f.server.baseUrl());
        assertThat(b.signIn(account.key()).statusCode()).isEqualTo(303);
        String csrf = dev.tollgate.functions.support.ConsoleHttp.csrf(b.get("/console/billing").body());
        Map<String, String> autoForm = Map.of("enabled", "on", "threshold_usd", "4.00", "amount_usd", "25.00",
                "daily_cap_usd", "50.00");

        HttpResponse<String> forged = b.post("/console/billing/auto-topup", autoForm);
        assertThat(forged.statusCode()).as("no _csrf").isEqualTo(403);
        assertThat(state(account).enabled()).isFalse();

        java.util.Map<String, String> withCsrf = new java.util.HashMap<>(autoForm);
        withCsrf.put("_csrf", csrf);
        HttpResponse<String> saved = b.post("/console/billing/auto-topup", withCsrf);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(saved.body()).contains("id=\"notice\"", "checked");
        AutoTopUp state = state(account);
        assertThat(state.enabled()).isTrue();
        assertThat(state.threshold()).isEqualTo(Money.parseDollars("4.00"));
        assertThat(state.amount()).isEqualTo(Money.parseDollars("25.00"));
        HttpResponse<String> bad = b.post("/console/billing/auto-topup", Map.of("_csrf", csrf, "enabled", "on",
                "threshold_usd", "4.00", "amount_usd", "1.00", "daily_cap_usd", "50.00"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id=\"error\"", "amount_usd");
        assertThat(state(account).amount()).isEqualTo(Money.parseDollars("25.00"));

        HttpResponse<String> alertsSaved = b.post("/console/billing/alerts", Map.of("_csrf", csrf,
                "url", "https://example.com/tollgate-alerts", "low_balance_usd", "2.00"));
        assertThat(alertsSaved.statusCode()).as(alertsSaved.body()).isEqualTo(200);
        assertThat(alertsSaved.body()).contains("id=\"new-secret\"", "whsec_");
        HttpResponse<String> again = b.get("/console/billing");
        assertThat(again.body()).doesNotContain("whsec_").contains("https://example.com/tollgate-alerts");
        JsonNode settings = json(Http.get(f.api("/v1/alerts/settings"), account.key()));
        assertThat(settings.get("url").asText()).isEqualTo("https://example.com/tollgate-alerts");
        assertThat(settings.get("low_balance_usd").asText()).isEqualTo("2.000000");
        assertThat(settings.has("signing_secret")).isFalse();
        HttpResponse<String> httpRefused = b.post("/console/billing/alerts", Map.of("_csrf", csrf, "url", "http://example.com/x"));
        assertThat(httpRefused.statusCode()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * An account whose balance is $5.00 plus {@code requestsAbove} requests' cost (and a micro-dollar): its first
     * Checkout is paid, and that Checkout's PaymentIntent reports the card saved for off-session use.
     */
    static TestServer.Account accountWithSavedCard(int requestsAbove) {
        TestServer.Account account = f.server.openAccount(Money.ofMicros(perRequest.micros() * requestsAbove + 1).toDollars());
        StripeFixture.TopUp topUp = f.paidTopUp(account, "5.00");
        String saved = StripeEvents.edit(StripeEvents.load("payment_intent.succeeded", topUp.values()), e -> {
            StripeEvents.object(e).put("amount", 500).put("amount_received", 500).put("customer", "cus_test_saved")
                    .put("payment_method", "pm_test_saved");
        });
        HttpResponse<String> response = f.deliver(saved);
        assertThat(json(response).get("outcome").asText()).as(response.body()).isEqualTo("recorded");
        assertThat(f.server.balance(account.accountId())).as("a Checkout's PaymentIntent is not credited again")
                .isEqualTo(Money.parseDollars("5.00").plus(Money.ofMicros(perRequest.micros() * requestsAbove + 1)));
        return account;
    }

    static String autoSucceeded(TestServer.Account account, String topupId, String intentId, long cents) {
        return StripeEvents.edit(StripeEvents.load("payment_intent.succeeded", Map.of("EVENT_ID", StripeFixture.newEventId(),
                "PAYMENT_INTENT", intentId, "TOPUP_ID", topupId, "ACCOUNT_ID", account.accountId(),
                "CHARGE_ID", "ch_test_auto")), e -> {
            StripeEvents.object(e).put("amount", cents).put("amount_received", cents).put("customer", "cus_test_saved")
                    .put("payment_method", "pm_test_saved").putNull("setup_future_usage");
            ((com.fasterxml.jackson.databind.node.ObjectNode) StripeEvents.object(e).get("metadata")).put("kind", "auto");
        });
    }

    static void enable(TestServer.Account account, String threshold, String amount, String cap) {
        JsonNode shown = patch(account, "{\"enabled\":true,\"threshold_usd\":\"" + threshold + "\",\"amount_usd\":\""
                + amount + "\",\"daily_cap_usd\":\"" + cap + "\"}");
        assertThat(shown.get("enabled").asBoolean()).isTrue();
        assertThat(shown.get("armed").asBoolean()).as("the balance is above the threshold").isTrue();
        assertThat(shown.get("payment_method_saved").asBoolean()).isTrue();
    }

    static JsonNode patch(TestServer.Account account, String body) {
        HttpResponse<String> response = ApiCalls.patch(f.api("/v1/billing/auto-topup"), account.key(), body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    static String body() {
        return "{\"model\":\"qwen3:latest\",\"max_tokens\":" + MAX_TOKENS + ",\"messages\":" + MESSAGES + "}";
    }

    static HttpResponse<String> chat(TestServer.Account account) {
        return Http.post(f.api("/v1/chat/completions"), account.key(), body());
    }

    static AutoTopUp state(TestServer.Account account) {
        return f.server.context().getBean(AutoTopUps.class).store().find(account.accountId())
                .orElse(AutoTopUp.none(account.accountId()));
    }

    static void awaitState(TestServer.Account account, java.util.function.Predicate<AutoTopUp> condition) {
        awaitTrue(() -> condition.test(state(account)));
    }

    /** Polls with a deadline: the work runs on the alerts executor, after the response. */
    static void awaitTrue(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not reached within 15 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // polling with a deadline, not waiting for time
        }
    }

    static <T> List<T> concurrently(int count, java.util.concurrent.Callable<T> call) throws Exception {
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<T>> futures = new java.util.ArrayList<>();
        try (java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<T> results = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
