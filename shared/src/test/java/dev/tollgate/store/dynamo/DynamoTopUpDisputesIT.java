package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.BalanceStore;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.topups.DisputeTarget;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpStore.DisputeApplied;
import dev.tollgate.topups.TopUpStore.DisputeApplied.Step;
import dev.tollgate.topups.TopUpStore.DisputeChange;
import dev.tollgate.topups.TopUpStore.Payment;
import dev.tollgate.topups.TopUpStore.Refund;
import dev.tollgate.topups.TopUpStore.RefundFailure;
import dev.tollgate.topups.TopUpStore.RefundReturned;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Disputes and failed refunds against DynamoDB Local: every delivery order of one dispute's events ends in
 * the dispute's final state, with exactly one ledger entry per transition, and a failed refund is given
 * back once. The HTTP path with real signatures is StripeDisputeIT in the functions module.
 */
class DynamoTopUpDisputesIT {

    private static final long TEN = 10_000_000;

    private static LocalDynamo dynamo;
    private static BalanceFixture f;
    private static DynamoTopUpStore topUps;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        f = new BalanceFixture(dynamo.client());
        topUps = new DynamoTopUpStore(dynamo.client(), f.tables);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    /** Each permutation of created, funds_withdrawn and a release (won, or funds reinstated). */
    static Stream<List<DisputeTarget>> ordersEndingWon() {
        DisputeTarget h = DisputeTarget.HELD;
        DisputeTarget r = DisputeTarget.RELEASED;
        return Stream.of(List.of(h, h, r), List.of(h, r, h), List.of(r, h, h), List.of(r, r, h, h), List.of(h, r, r, h));
    }

    @ParameterizedTest
    @MethodSource("ordersEndingWon")
    void aWonDisputeEndsWithNothingTakenInAnyOrder(List<DisputeTarget> order) {
        ApiKey key = f.account(0);
        TopUp paid = paidOrder(key, TEN);

        List<Step> steps = order.stream().map(t -> topUps.dispute(paid, change("du_won", t)).step()).toList();

        assertThat(f.balance(key.accountId())).isEqualTo(TEN);
        assertThat(f.balances.funds(key.accountId())).contains(new BalanceStore.Funds(Money.ofMicros(TEN), Money.ZERO));
        assertThat(topUps.find(paid.topupId()).orElseThrow().disputed()).isEqualTo(Money.ZERO);
        assertThat(steps.stream().filter(s -> s == Step.TOOK || s == Step.GAVE_BACK || s == Step.RECORDED)).as("moves")
                .hasSizeBetween(1, 2);
        boolean heldFirst = order.getFirst() == DisputeTarget.HELD;
        assertThat(f.entries(key.accountId(), "stripe-dispute:du_won")).hasSize(heldFirst ? 1 : 0);
        assertThat(f.entries(key.accountId(), "stripe-dispute:du_won:released")).hasSize(heldFirst ? 1 : 0);
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void aHoldBeyondTheBalanceOwesTheRestAndItsReleasePaysThatDebtFirst() {
        ApiKey key = f.account(0);
        TopUp paid = paidOrder(key, TEN);
        spend(key, 6_000_000);

        DisputeApplied held = topUps.dispute(paid, change("du_debt", DisputeTarget.HELD));
        BalanceStore.Funds owing = f.balances.funds(key.accountId()).orElseThrow();
        DisputeApplied released = topUps.dispute(paid, change("du_debt", DisputeTarget.RELEASED));

        assertThat(held).isEqualTo(new DisputeApplied(Step.TOOK, Money.ofMicros(TEN), Money.ofMicros(6_000_000)));
        assertThat(owing).isEqualTo(new BalanceStore.Funds(Money.ZERO, Money.ofMicros(6_000_000)));
        assertThat(released).isEqualTo(new DisputeApplied(Step.GAVE_BACK, Money.ofMicros(TEN), Money.ofMicros(6_000_000)));
        assertThat(f.balances.funds(key.accountId())).contains(new BalanceStore.Funds(Money.ofMicros(4_000_000), Money.ZERO));
        assertThat(f.entries(key.accountId(), "stripe-dispute:du_debt")).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(Money.ofMicros(-4_000_000)));
        assertThat(f.entries(key.accountId(), "stripe-dispute:du_debt:released")).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(Money.ofMicros(4_000_000)));
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void manyThreadsHoldingAndReleasingOneDisputeEndReleasedWithBalanceAndLedgerExact() throws Exception {
        ApiKey key = f.account(0);
        TopUp paid = paidOrder(key, TEN);
        spend(key, 3_000_000); // the hold, if it comes first, takes $7 and owes $3

        List<Object> results = BalanceFixture.race(24, i -> () -> topUps.dispute(paid,
                change("du_race", i % 3 == 2 ? DisputeTarget.RELEASED : DisputeTarget.HELD)));

        assertThat(results).allMatch(r -> r instanceof DisputeApplied);
        assertThat(f.balances.funds(key.accountId())).contains(new BalanceStore.Funds(Money.ofMicros(7_000_000), Money.ZERO));
        assertThat(topUps.find(paid.topupId()).orElseThrow().disputed()).isEqualTo(Money.ZERO);
        assertThat(results).filteredOn(r -> ((DisputeApplied) r).step() == Step.TOOK).hasSizeLessThanOrEqualTo(1);
        assertThat(f.entries(key.accountId(), "stripe-dispute:du_race")).hasSizeLessThanOrEqualTo(1);
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void aDisputeLostBeforeHoldsWereRecordedIsNotTakenTwice() {
        ApiKey key = f.account(0);
        TopUp paid = paidOrder(key, TEN);
        // What an earlier version wrote for a lost dispute: its ledger entry, and no dispute attribute.
        f.balances.adjust(LedgerEntry.of(key.accountId(), "stripe-dispute:du_old", LedgerType.REFUND,
                Money.ofMicros(-TEN), T0, "du_old", "Stripe dispute lost"));

        DisputeApplied again = topUps.dispute(paid, change("du_old", DisputeTarget.HELD));

        assertThat(again.step()).isEqualTo(Step.UNCHANGED);
        assertThat(f.balance(key.accountId())).isZero();
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void aFailedRefundIsGivenBackOnceOnlyAfterItWasTakenAndPaysTheDebtFirst() throws Exception {
        ApiKey key = f.account(0);
        TopUp paid = paidOrder(key, TEN);
        RefundFailure failure = new RefundFailure("re_1", Money.ofMicros(4_000_000), "evt_failed", T0);

        RefundReturned early = topUps.refundFailed(paid, failure);
        spend(key, 8_000_000);
        topUps.refund(topUps.find(paid.topupId()).orElseThrow(), new Refund(Money.ofMicros(4_000_000), "stripe:evt_r",
                "evt_r", "ch_1", T0)); // $2 taken, $2 owed
        List<Object> results = BalanceFixture.race(10, i -> () -> topUps.refundFailed(paid, failure));

        assertThat(early.step()).isEqualTo(RefundReturned.Step.NOT_TAKEN_YET);
        assertThat(results).filteredOn(r -> r instanceof RefundReturned rr && rr.step() == RefundReturned.Step.RETURNED)
                .singleElement().isEqualTo(new RefundReturned(RefundReturned.Step.RETURNED, Money.ofMicros(2_000_000)));
        assertThat(results).allMatch(r -> r instanceof RefundReturned rr && rr.step() != RefundReturned.Step.NOT_TAKEN_YET);
        assertThat(f.balances.funds(key.accountId())).contains(new BalanceStore.Funds(Money.ofMicros(2_000_000), Money.ZERO));
        assertThat(topUps.find(paid.topupId()).orElseThrow().refunded()).isEqualTo(Money.ZERO);
        assertThat(f.entries(key.accountId(), "stripe-refund-failed:re_1")).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(Money.ofMicros(2_000_000)));
        f.assertBalanceEqualsLedger(key.accountId());
    }

    private static DisputeChange change(String disputeId, DisputeTarget target) {
        return new DisputeChange(disputeId, target, Money.ofMicros(TEN), "evt_" + target.wire(),
                target == DisputeTarget.HELD ? "needs_response" : "won", T0);
    }

    private static TopUp paidOrder(ApiKey key, long micros) {
        TopUp order = TopUp.pending(Ids.newId("topup"), key.accountId(), key.keyId(), Money.ofMicros(micros), T0);
        topUps.create(order);
        topUps.attachSession(order.topupId(), "cs_" + order.topupId(), "https://checkout.stripe.com/c/pay/x", T0.plusSeconds(60));
        TopUp pending = topUps.find(order.topupId()).orElseThrow();
        topUps.credit(pending, new Payment("evt_paid", pending.sessionId(), "pi_" + order.topupId(), T0));
        return topUps.find(order.topupId()).orElseThrow();
    }

    private static void spend(ApiKey key, long micros) {
        f.balances.adjust(LedgerEntry.of(key.accountId(), Ids.newId("spend"),
                LedgerType.ADMIN_DEBIT, Money.ofMicros(-micros), T0, null, "spent"));
    }
}
