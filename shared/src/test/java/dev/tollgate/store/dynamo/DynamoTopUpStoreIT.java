package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.T0;
import static dev.tollgate.store.dynamo.BalanceFixture.charge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.billing.AccountInDebtException;
import dev.tollgate.billing.BalanceStore;
import dev.tollgate.billing.Hold;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpState;
import dev.tollgate.topups.TopUpStore.Credit;
import dev.tollgate.topups.TopUpStore.Payment;
import dev.tollgate.topups.DisputeTarget;
import dev.tollgate.topups.TopUpStore.DisputeApplied;
import dev.tollgate.topups.TopUpStore.DisputeChange;
import dev.tollgate.topups.TopUpStore.Refund;
import dev.tollgate.topups.TopUpStore.Reversed;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The top-up store against DynamoDB Local: exactly-once credits and reversals, debt, and debt blocking holds. */
class DynamoTopUpStoreIT {

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

    @Test
    void concurrentCreditsOfOneOrderCreditItOnce() throws Exception {
        ApiKey key = f.account(0);
        TopUp order = order(key, 10_000_000);

        List<Object> results = BalanceFixture.race(20, i -> () -> topUps.credit(order, payment(order, "evt_" + i)));

        assertThat(results).filteredOn(r -> r instanceof Credit c && c.credited()).hasSize(1);
        assertThat(results).allMatch(r -> r instanceof Credit);
        assertThat(f.balance(key.accountId())).isEqualTo(10_000_000);
        assertThat(topUps.find(order.topupId()).orElseThrow().state()).isEqualTo(TopUpState.PAID);
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void aReversalBeyondTheBalanceOwesTheRestAndTheNextCreditPaysItFirst() {
        ApiKey key = f.account(0);
        TopUp first = order(key, 10_000_000);
        topUps.credit(first, payment(first, "evt_paid"));
        f.balances.adjust(LedgerEntry.of(key.accountId(), "spend", LedgerType.ADMIN_DEBIT, Money.ofMicros(-6_000_000), T0,
                null, "spent"));

        Reversed reversed = topUps.refund(paid(first), refund("evt_refund", 10_000_000));
        Reversed again = topUps.refund(paid(first), refund("evt_refund", 10_000_000));

        assertThat(reversed).isEqualTo(new Reversed(true, Money.ofMicros(4_000_000), Money.ofMicros(6_000_000)));
        assertThat(again.applied()).isFalse();
        assertThat(topUps.dispute(paid(first), new DisputeChange("du_1", DisputeTarget.HELD, Money.ofMicros(10_000_000),
                "evt_dispute", "needs_response", T0)).step())
                .as("refunds and disputes never take back more than was credited").isEqualTo(DisputeApplied.Step.RECORDED);
        assertThat(f.balance(key.accountId())).isZero();
        assertThat(f.balances.settleDebt(key.accountId(), "debt:probe", T0)).isEqualTo(Money.ofMicros(6_000_000));
        assertThat(f.balances.funds(key.accountId())).contains(new BalanceStore.Funds(Money.ZERO, Money.ofMicros(6_000_000)));

        TopUp next = order(key, 20_000_000);
        Credit credit = topUps.credit(next, payment(next, "evt_next"));

        assertThat(credit.debtPaid()).isEqualTo(Money.ofMicros(6_000_000));
        assertThat(f.balance(key.accountId())).isEqualTo(14_000_000);
        assertThat(f.balances.settleDebt(key.accountId(), "debt:probe2", T0)).isEqualTo(Money.ZERO);
        assertThat(f.balances.funds(key.accountId())).contains(new BalanceStore.Funds(Money.ofMicros(14_000_000), Money.ZERO));
        assertThat(f.balances.funds("acct_unknown")).isEmpty();
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void anAccountInDebtCannotReserveUntilMoneyComesBackAndPaysIt() throws Exception {
        ApiKey key = f.account(5_000_000);
        Hold inFlight = owingThreeDollarsWithAnEightDollarHoldOpen(key);

        AccountInDebtException blocked = catchThrowableOfType(AccountInDebtException.class,
                () -> f.balances.reserve(f.hold(key, 1)));
        f.balances.settle(inFlight, charge(inFlight, 4_000_000)); // the request ends: $4 of its hold comes back
        f.balances.reserve(f.hold(key, 500_000)); // pays the $3 owed from that first, then holds

        assertThat(blocked).isNotNull();
        assertThat(blocked.owed()).isEqualTo(Money.ofMicros(3_000_000));
        assertThat(f.balance(key.accountId())).isEqualTo(500_000);
        assertThat(f.balances.settleDebt(key.accountId(), "debt:probe", T0)).isEqualTo(Money.ZERO);
        assertThat(f.ledgerSum(key.accountId())).as("balance + the open $0.50 hold").isEqualTo(1_000_000);
    }

    @Test
    void fundsAfterDebtReportsWhatIsOwedAndPaysItOnceMoneyCameBack() throws Exception {
        ApiKey key = f.account(5_000_000);
        Hold inFlight = owingThreeDollarsWithAnEightDollarHoldOpen(key);

        BalanceStore.Funds owing = f.balances.fundsAfterDebt(key.accountId(), "debt:req_1", T0);
        f.balances.settle(inFlight, charge(inFlight, 4_000_000)); // $4 of the hold comes back
        BalanceStore.Funds paid = f.balances.fundsAfterDebt(key.accountId(), "debt:req_2", T0);
        BalanceStore.Funds again = f.balances.fundsAfterDebt(key.accountId(), "debt:req_2", T0);

        assertThat(owing).isEqualTo(new BalanceStore.Funds(Money.ZERO, Money.ofMicros(3_000_000)));
        assertThat(paid).as("the $3 paid from the $4 back").isEqualTo(new BalanceStore.Funds(Money.ofMicros(1_000_000), Money.ZERO));
        assertThat(again).isEqualTo(paid);
        assertThat(f.entries(key.accountId(), "debt:req_2")).hasSize(1);
        assertThat(f.balances.fundsAfterDebt("acct_unknown", "debt:req_3", T0)).isEqualTo(new BalanceStore.Funds(Money.ZERO, Money.ZERO));
        f.assertBalanceEqualsLedger(key.accountId());
    }

    /**
     * $5 opening + a $3 top-up, all of it held by a request in flight, then the top-up refunded: nothing left
     * to take it from, so the account owes $3. Returns the open hold.
     */
    private static Hold owingThreeDollarsWithAnEightDollarHoldOpen(ApiKey key) throws Exception {
        TopUp order = order(key, 3_000_000);
        topUps.credit(order, payment(order, "evt_paid"));
        Hold inFlight = f.hold(key, 8_000_000);
        f.balances.reserve(inFlight);
        topUps.refund(paid(order), refund("evt_refund", 3_000_000));
        return inFlight;
    }

    private static TopUp order(ApiKey key, long micros) {
        TopUp order = TopUp.pending(Ids.newId("topup"), key.accountId(), key.keyId(), Money.ofMicros(micros), T0);
        topUps.create(order);
        topUps.attachSession(order.topupId(), "cs_" + order.topupId(), "https://checkout.stripe.com/c/pay/x", T0.plusSeconds(86_400));
        return topUps.find(order.topupId()).orElseThrow();
    }

    private static TopUp paid(TopUp order) {
        return topUps.find(order.topupId()).orElseThrow();
    }

    private static Payment payment(TopUp order, String eventId) {
        return new Payment(eventId, order.sessionId(), "pi_" + order.topupId(), T0);
    }

    private static Refund refund(String eventId, long totalMicros) {
        return new Refund(Money.ofMicros(totalMicros), "stripe:" + eventId, eventId, "ch_1", T0);
    }
}
