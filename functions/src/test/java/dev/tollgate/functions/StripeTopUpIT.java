package dev.tollgate.functions;

import static dev.tollgate.functions.support.StripeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.Stripe;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.StripeEvents;
import dev.tollgate.functions.support.StripeFixture;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.ExpectedLog;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpState;
import dev.tollgate.topups.TopUpStore;
import dev.tollgate.topups.TopUpWebhooks;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Paid Checkout Sessions credit the top-up's stored amount exactly once, however Stripe delivers the
 * events: repeated, concurrently, both completed and async_payment_succeeded, or before the order exists.
 */
class StripeTopUpIT {

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
    void aPaidSessionCreditsTheOrderOnceAndTheLedgerShowsItsStripeIds() {
        TestServer.Account account = f.server.openAccount("1.00");
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");
        String eventId = StripeFixture.newEventId();
        String payload = StripeEvents.load("checkout.session.completed", topUp.values(eventId));

        HttpResponse<String> first = f.deliver(payload);
        HttpResponse<String> again = f.deliver(payload);
        HttpResponse<String> async = f.deliver("checkout.session.async_payment_succeeded", topUp);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(json(first).get("outcome").asText()).isEqualTo("credited");
        assertThat(json(first).get("topup_id").asText()).isEqualTo(topUp.topupId());
        assertThat(List.of(again, async)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).get("outcome").asText()).isEqualTo("duplicate");
        });
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("11.00"));
        LedgerEntry entry = f.server.ledger(account.accountId()).stream()
                .filter(e -> e.type() == LedgerType.TOPUP).collect(single());
        assertThat(entry.entryId()).isEqualTo("topup:" + topUp.topupId());
        assertThat(entry.amount()).isEqualTo(Money.parseDollars("10.00"));
        assertThat(entry.reference()).isEqualTo(topUp.sessionId());
        assertThat(entry.note()).contains(eventId, topUp.paymentIntent(), topUp.sessionId(), topUp.topupId());
        assertThat(f.server.ledgerSum(account.accountId())).isEqualTo(f.server.balance(account.accountId()));
        TopUp order = f.order(topUp);
        assertThat(order.state()).isEqualTo(TopUpState.PAID);
        assertThat(order.paidEventId()).isEqualTo(eventId);
        assertThat(order.paymentIntentId()).isEqualTo(topUp.paymentIntent());
        assertThat(json(Http.get(f.api("/v1/billing/topups/" + topUp.topupId()),
                account.key())).get("payment_intent_id").asText()).isEqualTo(topUp.paymentIntent());
    }

    @Test
    void theSameEventDelivered20TimesConcurrentlyCreditsOnce() throws Exception {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");
        String payload = StripeEvents.load("checkout.session.completed", topUp.values());

        List<HttpResponse<String>> responses = concurrently(20, () -> f.deliver(payload));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        assertThat(responses.stream().map(r -> json(r).get("outcome").asText()))
                .containsOnly("credited", "duplicate").filteredOn("credited"::equals).hasSize(1);
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("10.00"));
        assertThat(f.server.ledger(account.accountId())).filteredOn(e -> e.type() == LedgerType.TOPUP).hasSize(1);
        assertThat(f.server.ledgerSum(account.accountId())).isEqualTo(Money.parseDollars("10.00"));
    }

    /**
     * The order is written before its session exists, so a paid event ahead of its order can only be a
     * transient lag: it is answered 503 (Stripe redelivers) and credited by the delivery that finds it.
     */
    @Test
    void anEventArrivingBeforeItsOrderIsRetriedAndThenCreditedOnce() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = new StripeFixture.TopUp("topup_notyetwritten" + System.nanoTime(), "cs_test_early",
                account.accountId(), "pi_test_early", "ch_test_early");
        String payload = StripeEvents.load("checkout.session.completed", topUp.values());

        HttpResponse<String> early = f.deliver(payload);
        f.server.context().getBean(TopUpStore.class).create(
                TopUp.pending(topUp.topupId(), account.accountId(), account.keyId(), Money.parseDollars("10.00"), Instant.now()));
        HttpResponse<String> retried = f.deliver(payload);
        HttpResponse<String> retriedAgain = f.deliver(payload);

        assertThat(early.statusCode()).as(early.body()).isEqualTo(503);
        assertThat(json(early).at("/error/code").asText()).isEqualTo("service_unavailable");
        assertThat(json(retried).get("outcome").asText()).isEqualTo("credited");
        assertThat(json(retriedAgain).get("outcome").asText()).isEqualTo("duplicate");
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("10.00"));
        assertThat(f.order(topUp).sessionId()).isEqualTo("cs_test_early");
    }

    @Test
    void anAsynchronousPaymentCreditsOnlyWhenItSucceeds() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");
        String unpaid = StripeEvents.edit(StripeEvents.load("checkout.session.completed", topUp.values()),
                e -> StripeEvents.object(e).put("payment_status", "unpaid"));

        HttpResponse<String> completed = f.deliver(unpaid);
        TopUpState afterCompleted = f.order(topUp).state();
        HttpResponse<String> succeeded = f.deliver("checkout.session.async_payment_succeeded", topUp);

        assertThat(json(completed).get("outcome").asText()).isEqualTo("ignored");
        assertThat(afterCompleted).isEqualTo(TopUpState.PENDING);
        assertThat(json(succeeded).get("outcome").asText()).isEqualTo("credited");
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("10.00"));
    }

    @Test
    void anExpiredSessionClosesTheOrderWithoutMoney() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");

        HttpResponse<String> expired = f.deliver("checkout.session.expired", topUp);

        assertThat(json(expired).get("outcome").asText()).isEqualTo("closed");
        assertThat(f.order(topUp).state()).isEqualTo(TopUpState.EXPIRED);
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.ZERO);
    }

    @Test
    void aPaymentThatDoesNotMatchTheOrderIsHeldForReviewNotCredited() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");
        String cheaper = StripeEvents.edit(StripeEvents.load("checkout.session.completed", topUp.values()),
                e -> StripeEvents.object(e).put("amount_total", 100));

        HttpResponse<String> response;
        try (ExpectedLog log = ExpectedLog.of(TopUpWebhooks.class)) {
            response = f.deliver(cheaper);
            assertThat(log.errors()).singleElement().asString().contains("NOT credited, needs review: Stripe reports 100 usd "
                    + "paid for an order of $10.000000");
        }
        HttpResponse<String> thenTheRealOne = f.deliver("checkout.session.completed", topUp);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("outcome").asText()).isEqualTo("review");
        assertThat(json(thenTheRealOne).get("outcome").asText()).isEqualTo("duplicate");
        assertThat(f.order(topUp).state()).isEqualTo(TopUpState.REVIEW);
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.ZERO);
    }

    @Test
    void anEventInTheLibrarysOwnApiVersionIsReadWithoutTheUnsafeFallback() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");
        String current = StripeEvents.edit(StripeEvents.load("checkout.session.completed", topUp.values()),
                e -> e.put("api_version", Stripe.API_VERSION));

        HttpResponse<String> response = f.deliver(current);

        assertThat(json(response).get("outcome").asText()).isEqualTo("credited");
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("10.00"));
    }

    @Test
    void aSessionWithoutATopUpIdIsSomeoneElsesAndIgnored() {
        String foreign = StripeEvents.edit(StripeEvents.load("checkout.session.completed",
                        new StripeFixture.TopUp("x", "cs_test_foreign", "acct_x", "pi_x", "ch_x").values()),
                e -> StripeEvents.object(e).putObject("metadata"));

        HttpResponse<String> response = f.deliver(foreign);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("outcome").asText()).isEqualTo("ignored");
    }

    static <T> Collector<T, ?, T> single() {
        return Collectors.collectingAndThen(Collectors.toList(), list -> {
            assertThat(list).hasSize(1);
            return list.getFirst();
        });
    }

    /** Runs {@code count} copies of {@code task} released together by one latch. */
    static <T> List<T> concurrently(int count, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
