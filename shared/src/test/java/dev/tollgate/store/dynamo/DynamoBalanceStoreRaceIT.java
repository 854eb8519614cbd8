package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.charge;
import static dev.tollgate.store.dynamo.BalanceFixture.race;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.Hold;
import dev.tollgate.billing.InsufficientFundsException;
import dev.tollgate.billing.InsufficientFundsException.Limit;
import dev.tollgate.billing.Settlement;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.LocalDynamo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hard prepaid cap under concurrency (DESIGN.md "Money"): many threads against one balance or one key
 * budget, exact totals after. Counts are sized for DynamoDB Local, which commits a few hundred conditional
 * transactions per second over HTTP.
 */
class DynamoBalanceStoreRaceIT {

    private static final long HOLD = 1_000;

    private static LocalDynamo dynamo;
    private static BalanceFixture f;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        f = new BalanceFixture(dynamo.client());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void twoHundredThreadsRacingForOneHundredHoldsGetExactlyOneHundred() throws Exception {
        ApiKey key = f.account(100 * HOLD);
        List<Hold> holds = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            holds.add(f.hold(key, HOLD));
        }

        List<Object> reserved = race(200, i -> () -> {
            f.balances.reserve(holds.get(i));
            return holds.get(i);
        });

        List<Hold> won = onlyHolds(reserved);
        List<InsufficientFundsException> refused = refusals(reserved);
        assertThat(won.size() + refused.size()).as("no other outcome: %s", reserved).isEqualTo(200);
        assertThat(won).hasSize(100);
        assertThat(refused).hasSize(100).allSatisfy(e -> {
            assertThat(e.limit()).isEqualTo(Limit.ACCOUNT_BALANCE);
            assertThat(e.available().micros()).isBetween(0L, HOLD - 1);
        });
        assertThat(f.balance(key.accountId())).isZero();

        List<Object> settled = race(won.size(), i -> () -> f.balances.settle(won.get(i), charge(won.get(i), HOLD)));

        assertThat(settled).allSatisfy(s -> assertThat(s).isInstanceOfSatisfying(Settlement.class,
                x -> assertThat(x.alreadySettled()).isFalse()));
        assertThat(f.ledger(key.accountId())).filteredOn(e -> e.type() == LedgerType.CHARGE).hasSize(100);
        assertThat(f.ledgerSum(key.accountId())).isEqualTo(100 * HOLD - 100 * HOLD).isZero();
        assertThat(f.balance(key.accountId())).isZero();
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void racingHoldsAgainstOneKeyBudgetGetExactlyWhatTheBudgetAllows() throws Exception {
        ApiKey owner = f.account(1_000 * HOLD);
        ApiKey key = f.budgetKey(owner.accountId(), 50 * HOLD);
        List<Hold> holds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            holds.add(f.hold(key, HOLD));
        }

        List<Object> reserved = race(100, i -> () -> {
            f.balances.reserve(holds.get(i));
            return holds.get(i);
        });

        List<Hold> won = onlyHolds(reserved);
        List<InsufficientFundsException> refused = refusals(reserved);
        assertThat(won.size() + refused.size()).as("no other outcome: %s", reserved).isEqualTo(100);
        assertThat(won).hasSize(50);
        assertThat(refused).hasSize(50).allSatisfy(e -> assertThat(e.limit()).isEqualTo(Limit.KEY_BUDGET));
        assertThat(f.keyRemainingAndSpent(key)).containsExactly(0, 50 * HOLD);
        assertThat(f.balance(owner.accountId())).isEqualTo(950 * HOLD);

        // Settle each at 40% of its hold: 60% of every hold goes back to the key and the balance.
        List<Object> settled = race(won.size(), i -> () -> f.balances.settle(won.get(i), charge(won.get(i), 400)));

        assertThat(settled).allSatisfy(s -> assertThat(s).isInstanceOf(Settlement.class));
        assertThat(f.keyRemainingAndSpent(key)).containsExactly(50 * (HOLD - 400), 50 * 400);
        assertThat(f.balance(owner.accountId())).isEqualTo(1_000 * HOLD - 50 * 400);
        f.assertBalanceEqualsLedger(owner.accountId());
    }

    @Test
    void twentyConcurrentSettlesOfOneHoldChargeExactlyOnce() throws Exception {
        ApiKey key = f.account(10 * HOLD);
        Hold hold = f.hold(key, HOLD);
        f.balances.reserve(hold);

        List<Object> results = race(20, i -> () -> f.balances.settle(hold, charge(hold, 700)));

        assertThat(results).as("settle outcomes").allSatisfy(r -> assertThat(r).isInstanceOf(Settlement.class));
        List<Settlement> settlements = results.stream().map(Settlement.class::cast).toList();
        assertThat(settlements).filteredOn(s -> !s.alreadySettled()).singleElement()
                .satisfies(s -> assertThat(s.charged()).isEqualTo(Money.ofMicros(700)));
        assertThat(settlements).filteredOn(Settlement::alreadySettled).hasSize(19)
                .allSatisfy(s -> assertThat(s.charged()).isEqualTo(Money.ZERO));
        assertThat(f.entries(key.accountId(), hold.holdId())).hasSize(1);
        assertThat(f.balance(key.accountId())).isEqualTo(10 * HOLD - 700);
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void concurrentOverrunsNeverTakeTheBalanceBelowZero() throws Exception {
        // 40 holds of 1000 on a balance of 50000; each request actually costs 1500, so the last ones overrun
        // what is left and must be capped, with the shortfall recorded, never a negative balance.
        ApiKey key = f.account(50 * HOLD);
        List<Hold> holds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            holds.add(f.hold(key, HOLD));
        }
        assertThat(onlyHolds(race(40, i -> () -> {
            f.balances.reserve(holds.get(i));
            return holds.get(i);
        }))).hasSize(40);

        List<Object> results = race(40, i -> () -> f.balances.settle(holds.get(i), charge(holds.get(i), 1_500)));

        long charged = 0;
        long shortfall = 0;
        for (Object r : results) {
            assertThat(r).isInstanceOf(Settlement.class);
            Settlement s = (Settlement) r;
            assertThat(s.charged().plus(s.shortfall())).isEqualTo(Money.ofMicros(1_500));
            charged += s.charged().micros();
            shortfall += s.shortfall().micros();
        }
        assertThat(charged).isEqualTo(50 * HOLD);
        assertThat(shortfall).isEqualTo(40 * 1_500 - 50 * HOLD);
        assertThat(f.balance(key.accountId())).isZero();
        f.assertBalanceEqualsLedger(key.accountId());
    }

    /**
     * Usage above the hold (the upstream's prompt count beyond Tollgate's estimate), forty requests racing on one
     * balance that cannot pay for all of them: every request that was admitted is paid in full, from the balance
     * or as debt, to the micro-dollar. A request admitted while the account owes money first repays from the
     * balance; none is admitted while debt is left.
     */
    @Test
    void usageAboveTheHoldIsPaidInFullFromTheBalanceOrOwedUnderConcurrency() throws Exception {
        long cost = 2_700;
        ApiKey key = f.account(30_000);
        List<Hold> holds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            holds.add(f.hold(key, HOLD));
        }

        List<Object> outcomes = race(40, i -> () -> {
            f.balances.reserve(holds.get(i));
            return f.balances.settle(holds.get(i), charge(holds.get(i), cost));
        });

        List<Settlement> settled = outcomes.stream().filter(Settlement.class::isInstance).map(Settlement.class::cast).toList();
        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOfAny(Settlement.class,
                InsufficientFundsException.class, dev.tollgate.billing.AccountInDebtException.class));
        assertThat(settled).isNotEmpty().allSatisfy(s -> assertThat(s.alreadySettled()).isFalse());
        Money charged = settled.stream().map(Settlement::charged).reduce(Money.ZERO, Money::plus);
        Money owed = settled.stream().map(Settlement::shortfall).reduce(Money.ZERO, Money::plus);
        assertThat(charged.plus(owed)).as("every admitted request paid in full").isEqualTo(Money.ofMicros(cost * settled.size()));
        long balance = f.balance(key.accountId());
        Money debt = f.balances.funds(key.accountId()).orElseThrow().debt();
        assertThat(balance).as("never negative").isNotNegative();
        // What left the balance (charges and repayments of debt) plus what is still owed is exactly the usage.
        assertThat(Money.ofMicros(30_000 - balance).plus(debt)).isEqualTo(Money.ofMicros(cost * settled.size()));
        f.assertBalanceEqualsLedger(key.accountId());
    }

    private static List<Hold> onlyHolds(List<Object> results) {
        return results.stream().filter(Hold.class::isInstance).map(Hold.class::cast).toList();
    }

    private static List<InsufficientFundsException> refusals(List<Object> results) {
        return results.stream().filter(InsufficientFundsException.class::isInstance)
                .map(InsufficientFundsException.class::cast).toList();
    }
}
