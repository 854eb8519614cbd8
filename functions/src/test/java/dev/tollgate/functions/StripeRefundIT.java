package dev.tollgate.functions;

import static dev.tollgate.functions.support.StripeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.StripeEvents;
import dev.tollgate.functions.support.StripeFixture;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refunds and lost disputes take a top-up back: only the increase of Stripe's cumulative amount, once per
 * event, never below a zero balance. What the balance cannot cover is owed, blocks the account's keys
 * and is paid first by the next top-up. A failed refund is given back once. (Dispute orders: StripeDisputeIT.)
 */
class StripeRefundIT {

    static StripeFixture f;

    @BeforeAll
    static void start() {
        f = StripeFixture.start(Map.of("tollgate.catalog-files", TestServer.testCatalog()));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void aRefundAfterTheCreditWasSpentTakesTheRestAndBlocksTheKeysUntilATopUpPaysIt() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = paidTopUp(account, "10.00");
        spend(account, Behavior.defaults().usage(10, 5)); // test/pricey: $2.00 + $3.00

        HttpResponse<String> refund = f.deliver(refunded(topUp, 1000));

        assertThat(refund.statusCode()).as(refund.body()).isEqualTo(200);
        assertThat(json(refund).get("outcome").asText()).isEqualTo("debited");
        assertThat(json(refund).get("message").asText()).contains("$5.000000 taken back", "$5.000000 exceeded the balance");
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.ZERO);
        assertThat(refundEntries(account)).singleElement().satisfies(e -> {
            assertThat(e.amount()).isEqualTo(Money.parseDollars("-5.00"));
            assertThat(e.reference()).isEqualTo(topUp.chargeId());
            assertThat(e.note()).contains(topUp.topupId(), topUp.paymentIntent(), "owed");
        });
        assertThat(f.server.ledgerSum(account.accountId())).isEqualTo(Money.ZERO);
        assertThat(usage(account)).as("GET /v1/usage shows what is owed")
                .containsEntry("balance_usd", "0.000000").containsEntry("debt_usd", "5.000000");

        HttpResponse<String> paid = Http.post(f.api("/v1/chat/completions"), account.key(), ApiCalls.chat("test/pricey"));
        HttpResponse<String> free = Http.post(f.api("/v1/chat/completions"), account.key(), ApiCalls.chat("qwen/qwen3-coder:free"));
        assertThat(List.of(paid, free)).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(json(r).at("/error/code").asText()).isEqualTo("insufficient_quota");
            assertThat(json(r).at("/error/message").asText()).contains("owes $5.000000", "POST /v1/billing/checkout");
        });

        StripeFixture.TopUp next = paidTopUp(account, "20.00"); // checkout still works for a blocked account
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("15.00"));
        assertThat(f.server.ledger(account.accountId())).filteredOn(e -> e.entryId().equals("topup:" + next.topupId() + ":debt"))
                .singleElement().satisfies(e -> assertThat(e.amount()).isEqualTo(Money.parseDollars("-5.00")));
        assertThat(f.server.ledgerSum(account.accountId())).isEqualTo(Money.parseDollars("15.00"));
        assertThat(usage(account)).containsEntry("balance_usd", "15.000000").containsEntry("debt_usd", "0.000000");
        f.server.upstream().reset();
        assertThat(Http.post(f.api("/v1/chat/completions"), account.key(), ApiCalls.chat("qwen3:latest")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void partialRefundsDebitOnlyTheIncreaseInWhateverOrderTheyArrive() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = paidTopUp(account, "10.00");
        String first = refunded(topUp, 300);
        String second = refunded(topUp, 700);

        List<String> outcomes = List.of(second, first, second, first).stream()
                .map(payload -> json(f.deliver(payload)).get("outcome").asText()).toList();

        assertThat(outcomes).containsExactly("debited", "duplicate", "duplicate", "duplicate");
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("3.00"));
        assertThat(f.order(topUp).refunded()).isEqualTo(Money.parseDollars("7.00"));

        String third = refunded(topUp, 1000);
        assertThat(json(f.deliver(third)).get("outcome").asText()).isEqualTo("debited");
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.ZERO);
        assertThat(refundEntries(account)).extracting(LedgerEntry::amount)
                .containsExactlyInAnyOrder(Money.parseDollars("-7.00"), Money.parseDollars("-3.00"));
        assertThat(f.server.ledgerSum(account.accountId())).isEqualTo(Money.ZERO);
    }

    @Test
    void theSameRefundDelivered20TimesConcurrentlyDebitsOnce() throws Exception {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = paidTopUp(account, "10.00");
        String refund = refunded(topUp, 400);

        List<HttpResponse<String>> responses = StripeTopUpIT.concurrently(20, () -> f.deliver(refund));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("6.00"));
        assertThat(refundEntries(account)).hasSize(1);
    }

    @Test
    void aRefundBeforeTheCreditIsRetriedUntilTheCreditHasHappened() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");
        String refund = refunded(topUp, 1000);

        HttpResponse<String> early = f.deliver(refund);
        f.deliver("checkout.session.completed", topUp);
        HttpResponse<String> retried = f.deliver(refund);

        assertThat(early.statusCode()).isEqualTo(503);
        assertThat(json(retried).get("outcome").asText()).isEqualTo("debited");
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.ZERO);
    }

    @Test
    void aLostDisputeTakesBackWhatRefundsHaveNotAndOnlyOnce() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = paidTopUp(account, "10.00");
        f.deliver(refunded(topUp, 300));
        Map<String, String> values = topUp.values();
        String lost = StripeEvents.load("charge.dispute.closed", values);

        HttpResponse<String> lostResponse = f.deliver(lost);
        HttpResponse<String> lostAgain = f.deliver(StripeEvents.load("charge.dispute.closed",
                Map.of("EVENT_ID", StripeFixture.newEventId(), "DISPUTE_ID", values.get("DISPUTE_ID"),
                        "CHARGE_ID", topUp.chargeId(), "PAYMENT_INTENT", topUp.paymentIntent())));

        assertThat(json(lostResponse).get("outcome").asText()).isEqualTo("debited");
        assertThat(json(lostAgain).get("outcome").asText()).isEqualTo("duplicate");
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.ZERO);
        assertThat(f.order(topUp).disputed()).isEqualTo(Money.parseDollars("7.00"));
        assertThat(f.server.ledgerSum(account.accountId())).isEqualTo(Money.ZERO);
    }

    @Test
    void aFailedRefundIsGivenBackOnceAndPaysWhatTheRefundLeftOwedFirst() throws Exception {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = paidTopUp(account, "10.00");
        spend(account, Behavior.defaults().usage(10, 5)); // test/pricey: $5 left
        assertThat(json(f.deliver(refunded(topUp, 1000))).get("outcome").asText()).isEqualTo("debited"); // $5 owed
        String failed = failedRefund(topUp, "re_" + topUp.chargeId(), 1000);

        List<HttpResponse<String>> responses = StripeTopUpIT.concurrently(10, () -> f.deliver(failed));
        HttpResponse<String> again = f.deliver(failedRefund(topUp, "re_" + topUp.chargeId(), 1000));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        assertThat(responses.stream().map(r -> json(r).get("outcome").asText()))
                .containsOnly("credited", "duplicate").filteredOn("credited"::equals).hasSize(1);
        assertThat(responses).filteredOn(r -> json(r).get("outcome").asText().equals("credited")).singleElement()
                .satisfies(r -> assertThat(json(r).get("message").asText()).contains("$10.000000 given back",
                        "$5.000000 paid the account's debt"));
        assertThat(json(again).get("outcome").asText()).as("another event for the same refund").isEqualTo("duplicate");
        assertThat(usage(account)).containsEntry("balance_usd", "5.000000").containsEntry("debt_usd", "0.000000");
        assertThat(f.order(topUp).refunded()).isEqualTo(Money.ZERO);
        assertThat(f.server.ledger(account.accountId())).filteredOn(e -> e.entryId().startsWith("stripe-refund-failed:"))
                .singleElement().satisfies(e -> assertThat(e.amount()).isEqualTo(Money.parseDollars("5.00")));
        assertThat(f.server.ledgerSum(account.accountId())).isEqualTo(Money.parseDollars("5.00"));
    }

    @Test
    void aFailedRefundArrivingBeforeItsRefundIsRetriedUntilTheRefundWasTaken() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = paidTopUp(account, "10.00");
        String failed = failedRefund(topUp, "re_early_" + topUp.chargeId(), 300);

        HttpResponse<String> early = f.deliver(failed);
        Money untouched = f.server.balance(account.accountId());
        HttpResponse<String> refund = f.deliver(refunded(topUp, 300));
        HttpResponse<String> retried = f.deliver(failed);

        assertThat(early.statusCode()).as(early.body()).isEqualTo(503);
        assertThat(untouched).isEqualTo(Money.parseDollars("10.00"));
        assertThat(json(refund).get("outcome").asText()).isEqualTo("debited");
        assertThat(json(retried).get("outcome").asText()).isEqualTo("credited");
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("10.00"));
        assertThat(f.server.ledgerSum(account.accountId())).isEqualTo(Money.parseDollars("10.00"));
    }

    @Test
    void aNewRefundAfterAFailedOneIsTakenInFull() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = paidTopUp(account, "10.00");
        f.deliver(refunded(topUp, 300));
        f.deliver(failedRefund(topUp, "re_first_" + topUp.chargeId(), 300));

        // Stripe lowers amount_refunded by a failed refund, so the next refund of $4 reports $4 in all.
        HttpResponse<String> next = f.deliver(refunded(topUp, 400));

        assertThat(json(next).get("outcome").asText()).isEqualTo("debited");
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("6.00"));
        assertThat(f.order(topUp).refunded()).isEqualTo(Money.parseDollars("4.00"));
        assertThat(f.server.ledgerSum(account.accountId())).isEqualTo(Money.parseDollars("6.00"));
    }

    @Test
    void aRefundOfAChargeThatIsNotATopUpIsIgnored() {
        StripeFixture.TopUp stranger = new StripeFixture.TopUp("x", "cs_x", "acct_x", "pi_test_unknown", "ch_test_unknown");
        String refund = StripeEvents.edit(StripeEvents.load("charge.refunded", stranger.values()),
                e -> StripeEvents.object(e).putObject("metadata"));

        HttpResponse<String> response = f.deliver(refund);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("outcome").asText()).isEqualTo("ignored");
    }

    private static StripeFixture.TopUp paidTopUp(TestServer.Account account, String dollars) {
        return f.paidTopUp(account, dollars);
    }

    /** A charge.refunded event for the top-up with this cumulative amount_refunded (cents), new event id. */
    private static String refunded(StripeFixture.TopUp topUp, long cumulativeCents) {
        return StripeEvents.edit(StripeEvents.load("charge.refunded", topUp.values()),
                e -> StripeEvents.object(e).put("amount_refunded", cumulativeCents).put("refunded", cumulativeCents >= 1000));
    }

    /** A charge.refund.updated event reporting refund {@code refundId} of {@code cents} failed, new event id. */
    private static String failedRefund(StripeFixture.TopUp topUp, String refundId, long cents) {
        Map<String, String> values = new java.util.HashMap<>(topUp.values());
        values.put("REFUND_ID", refundId);
        return StripeEvents.edit(StripeEvents.load("charge.refund.updated", values),
                e -> StripeEvents.object(e).put("amount", cents));
    }

    private static void spend(TestServer.Account account, Behavior usage) {
        f.server.upstream().enqueue(usage);
        HttpResponse<String> response = Http.post(f.api("/v1/chat/completions"), account.key(), ApiCalls.chat("test/pricey"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("5.00"));
    }

    /** The money fields of the account's GET /v1/usage answer. */
    private static Map<String, String> usage(TestServer.Account account) {
        HttpResponse<String> response = Http.get(f.api("/v1/usage"), account.key());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Map.of("balance_usd", json(response).get("balance_usd").asText(),
                "debt_usd", json(response).get("debt_usd").asText());
    }

    private static List<LedgerEntry> refundEntries(TestServer.Account account) {
        return f.server.ledger(account.accountId()).stream().filter(e -> e.type() == LedgerType.REFUND).toList();
    }
}
