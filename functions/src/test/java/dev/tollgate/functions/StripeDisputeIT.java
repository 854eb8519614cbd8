package dev.tollgate.functions;

import static dev.tollgate.functions.support.StripeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.BalanceStore;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.StripeEvents;
import dev.tollgate.functions.support.StripeFixture;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Disputes through POST /webhooks/stripe with real signatures: the disputed amount is taken when Stripe
 * reports the dispute (a stolen card must not spend the credit while the dispute runs for weeks), and given
 * back once if it is won, whatever order, however often and however concurrently the events arrive. Each
 * top-up is $10.00 and each dispute $10.00 (the samples' amount).
 */
class StripeDisputeIT {

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
    void createdThenFundsWithdrawnThenLostTakesTheDisputedAmountOnce() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.paidTopUp(account, "10.00");
        String du = newDisputeId();

        List<String> outcomes = outcomes(event("charge.dispute.created", topUp, du, null),
                event("charge.dispute.funds_withdrawn", topUp, du, null), event("charge.dispute.closed", topUp, du, "lost"));

        assertThat(outcomes).containsExactly("debited", "duplicate", "duplicate");
        assertThat(funds(account)).isEqualTo(new BalanceStore.Funds(Money.ZERO, Money.ZERO));
        assertThat(disputeEntries(account, du)).singleElement().satisfies(e -> {
            assertThat(e.entryId()).isEqualTo("stripe-dispute:" + du);
            assertThat(e.amount()).isEqualTo(Money.parseDollars("-10.00"));
            assertThat(e.note()).contains(topUp.topupId(), topUp.paymentIntent(), "needs_response");
        });
        assertThat(f.order(topUp).disputed()).isEqualTo(Money.parseDollars("10.00"));
        assertBalanceIsLedger(account);
    }

    @Test
    void createdThenWonGivesItAllBackOnceAndFundsReinstatedAfterChangesNothing() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.paidTopUp(account, "10.00");
        String du = newDisputeId();

        List<String> outcomes = outcomes(event("charge.dispute.created", topUp, du, null),
                event("charge.dispute.closed", topUp, du, "won"), event("charge.dispute.funds_reinstated", topUp, du, null),
                event("charge.dispute.funds_withdrawn", topUp, du, null));

        assertThat(outcomes).containsExactly("debited", "credited", "duplicate", "duplicate");
        assertThat(funds(account)).isEqualTo(new BalanceStore.Funds(Money.parseDollars("10.00"), Money.ZERO));
        assertThat(disputeEntries(account, du)).extracting(LedgerEntry::entryId, LedgerEntry::amount).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("stripe-dispute:" + du, Money.parseDollars("-10.00")),
                org.assertj.core.groups.Tuple.tuple("stripe-dispute:" + du + ":released", Money.parseDollars("10.00")));
        assertThat(f.order(topUp).disputed()).isEqualTo(Money.ZERO);
        assertBalanceIsLedger(account);
    }

    @Test
    void closedWonBeforeCreatedEndsWithNothingTaken() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.paidTopUp(account, "10.00");
        String du = newDisputeId();

        List<String> outcomes = outcomes(event("charge.dispute.closed", topUp, du, "won"),
                event("charge.dispute.created", topUp, du, null), event("charge.dispute.funds_withdrawn", topUp, du, null));

        assertThat(outcomes).containsExactly("recorded", "duplicate", "duplicate");
        assertThat(funds(account)).isEqualTo(new BalanceStore.Funds(Money.parseDollars("10.00"), Money.ZERO));
        assertThat(disputeEntries(account, du)).isEmpty();
        assertBalanceIsLedger(account);
    }

    @Test
    void fundsReinstatedBeforeFundsWithdrawnEndsWithNothingTaken() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.paidTopUp(account, "10.00");
        String du = newDisputeId();

        List<String> outcomes = outcomes(event("charge.dispute.funds_reinstated", topUp, du, null),
                event("charge.dispute.funds_withdrawn", topUp, du, null), event("charge.dispute.created", topUp, du, null),
                event("charge.dispute.closed", topUp, du, "won"));

        assertThat(outcomes).containsExactly("recorded", "duplicate", "duplicate", "duplicate");
        assertThat(funds(account)).isEqualTo(new BalanceStore.Funds(Money.parseDollars("10.00"), Money.ZERO));
        assertBalanceIsLedger(account);
    }

    @Test
    void lostBeforeCreatedTakesOnce() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.paidTopUp(account, "10.00");
        String du = newDisputeId();

        List<String> outcomes = outcomes(event("charge.dispute.closed", topUp, du, "lost"),
                event("charge.dispute.created", topUp, du, null), event("charge.dispute.funds_withdrawn", topUp, du, null));

        assertThat(outcomes).containsExactly("debited", "duplicate", "duplicate");
        assertThat(funds(account)).isEqualTo(new BalanceStore.Funds(Money.ZERO, Money.ZERO));
        assertThat(disputeEntries(account, du)).hasSize(1);
        assertBalanceIsLedger(account);
    }

    @Test
    void aDisputeBeyondTheBalanceBlocksTheKeysUntilItsWinPaysTheDebt() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.paidTopUp(account, "10.00");
        f.server.upstream().enqueue(Behavior.defaults().usage(10, 5)); // test/pricey: $2.00 + $3.00
        assertThat(Http.post(f.api("/v1/chat/completions"), account.key(), ApiCalls.chat("test/pricey")).statusCode())
                .isEqualTo(200);
        String du = newDisputeId();

        HttpResponse<String> held = f.deliver(event("charge.dispute.created", topUp, du, null));
        HttpResponse<String> blocked = Http.post(f.api("/v1/chat/completions"), account.key(), ApiCalls.chat("qwen3:latest"));
        BalanceStore.Funds owing = funds(account);
        HttpResponse<String> won = f.deliver(event("charge.dispute.closed", topUp, du, "won"));

        assertThat(json(held).get("message").asText()).contains("$10.000000 held", "$5.000000 exceeded the balance");
        assertThat(blocked.statusCode()).as(blocked.body()).isEqualTo(403);
        assertThat(json(blocked).at("/error/message").asText()).contains("owes $5.000000");
        assertThat(owing).isEqualTo(new BalanceStore.Funds(Money.ZERO, Money.parseDollars("5.00")));
        assertThat(json(won).get("message").asText()).contains("$10.000000 given back", "$5.000000 paid the account's debt");
        assertThat(funds(account)).isEqualTo(new BalanceStore.Funds(Money.parseDollars("5.00"), Money.ZERO));
        assertBalanceIsLedger(account);
        f.server.upstream().reset();
        assertThat(Http.post(f.api("/v1/chat/completions"), account.key(), ApiCalls.chat("qwen3:latest")).statusCode())
                .isEqualTo(200);
    }

    /** Answering an inquiry with a refund: the refund is taken while the inquiry is held, then the hold comes back. */
    @Test
    void anInquiryAnsweredWithARefundEndsWithOnlyTheRefundTaken() {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.paidTopUp(account, "10.00");
        String du = newDisputeId();

        List<String> outcomes = outcomes(event("charge.dispute.created", topUp, du, "warning_needs_response"),
                StripeEvents.edit(StripeEvents.load("charge.refunded", topUp.values()),
                        e -> StripeEvents.object(e).put("amount_refunded", 400)),
                event("charge.dispute.closed", topUp, du, "warning_closed"));

        assertThat(outcomes).containsExactly("debited", "debited", "credited");
        assertThat(funds(account)).isEqualTo(new BalanceStore.Funds(Money.parseDollars("6.00"), Money.ZERO));
        assertBalanceIsLedger(account);
    }

    @Test
    void aDisputeOnAPaymentThatIsNotATopUpIsIgnored() {
        StripeFixture.TopUp stranger = new StripeFixture.TopUp("x", "cs_x", "acct_x", "pi_test_stranger", "ch_test_stranger");

        HttpResponse<String> response = f.deliver(event("charge.dispute.created", stranger, newDisputeId(), null));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("outcome").asText()).isEqualTo("ignored");
    }

    /** 4 events of a dispute that is won, each delivered by 6 threads at once: nothing taken, nothing owed. */
    @Test
    void manyThreadsDeliveringAWonDisputesEventsEndWithNothingTakenAndNothingOwed() throws Exception {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.paidTopUp(account, "10.00");
        spendThreeDollars(account); // a hold that comes first takes the $7 left and owes $3
        String du = newDisputeId();

        List<HttpResponse<String>> responses = deliverConcurrently(6, event("charge.dispute.created", topUp, du, null),
                event("charge.dispute.funds_withdrawn", topUp, du, null), event("charge.dispute.closed", topUp, du, "won"),
                event("charge.dispute.funds_reinstated", topUp, du, null));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        List<String> outcomes = responses.stream().map(r -> json(r).get("outcome").asText()).toList();
        assertThat(Collections.frequency(outcomes, "debited")).isEqualTo(Collections.frequency(outcomes, "credited"))
                .isLessThanOrEqualTo(1);
        assertThat(funds(account)).isEqualTo(new BalanceStore.Funds(Money.parseDollars("7.00"), Money.ZERO));
        assertThat(f.order(topUp).disputed()).isEqualTo(Money.ZERO);
        assertBalanceIsLedger(account);
    }

    /** 3 events of a dispute that is lost, each delivered by 8 threads at once: taken once, the rest owed. */
    @Test
    void manyThreadsDeliveringALostDisputesEventsTakeItOnceAndOweTheRest() throws Exception {
        TestServer.Account account = f.server.openAccount("0.00");
        StripeFixture.TopUp topUp = f.paidTopUp(account, "10.00");
        spendThreeDollars(account);
        String du = newDisputeId();

        List<HttpResponse<String>> responses = deliverConcurrently(8, event("charge.dispute.created", topUp, du, null),
                event("charge.dispute.funds_withdrawn", topUp, du, null), event("charge.dispute.closed", topUp, du, "lost"));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        assertThat(responses.stream().map(r -> json(r).get("outcome").asText()))
                .containsOnly("debited", "duplicate").filteredOn("debited"::equals).hasSize(1);
        assertThat(funds(account)).isEqualTo(new BalanceStore.Funds(Money.ZERO, Money.parseDollars("3.00")));
        assertThat(disputeEntries(account, du)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(Money.parseDollars("-7.00")));
        assertBalanceIsLedger(account);
    }

    /** Every payload delivered {@code copies} times, all released at once, in a shuffled order. */
    private static List<HttpResponse<String>> deliverConcurrently(int copies, String... payloads) throws Exception {
        List<String> deliveries = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            deliveries.addAll(List.of(payloads));
        }
        Collections.shuffle(deliveries, new java.util.Random(deliveries.hashCode()));
        AtomicInteger next = new AtomicInteger();
        return StripeTopUpIT.concurrently(deliveries.size(), () -> f.deliver(deliveries.get(next.getAndIncrement())));
    }

    private static void spendThreeDollars(TestServer.Account account) {
        f.server.upstream().enqueue(Behavior.defaults().usage(15, 0)); // test/pricey: 15 prompt tokens = $3.00
        HttpResponse<String> response = Http.post(f.api("/v1/chat/completions"), account.key(), ApiCalls.chat("test/pricey"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("7.00"));
    }

    /** The sample event {@code name} for dispute {@code disputeId} of the top-up, with a new event id. */
    private static String event(String name, StripeFixture.TopUp topUp, String disputeId, String status) {
        Map<String, String> values = new HashMap<>(topUp.values());
        values.put("DISPUTE_ID", disputeId);
        String payload = StripeEvents.load(name, values);
        return status == null ? payload : StripeEvents.edit(payload, e -> StripeEvents.object(e).put("status", status));
    }

    private static List<String> outcomes(String... payloads) {
        List<String> outcomes = new ArrayList<>();
        for (String payload : payloads) {
            HttpResponse<String> response = f.deliver(payload);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            outcomes.add(json(response).get("outcome").asText());
        }
        return outcomes;
    }

    private static String newDisputeId() {
        return "du_" + StripeFixture.newEventId().substring("evt_test_".length());
    }

    private static BalanceStore.Funds funds(TestServer.Account account) {
        return f.server.balances().funds(account.accountId()).orElseThrow();
    }

    private static List<LedgerEntry> disputeEntries(TestServer.Account account, String disputeId) {
        return f.server.ledger(account.accountId()).stream().filter(e -> e.entryId().startsWith("stripe-dispute:" + disputeId))
                .toList();
    }

    private static void assertBalanceIsLedger(TestServer.Account account) {
        assertThat(f.server.ledgerSum(account.accountId())).as("ledger sum").isEqualTo(f.server.balance(account.accountId()));
    }
}
