package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.T0;
import static dev.tollgate.store.dynamo.BalanceFixture.charge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.billing.BalanceStore;
import dev.tollgate.billing.Hold;
import dev.tollgate.billing.Settlement;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.LocalDynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Crash safety (expired holds released by the reconciler) and operator/payment adjustments, on DynamoDB Local. */
class DynamoHoldReleaseAndAdjustIT {

    private static final Instant LATER = T0.plus(Duration.ofHours(1));

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
    void expiredHoldsFindsOnlyExpiredOpenHolds() throws Exception {
        ApiKey key = f.account(100_000);
        Hold expired = f.hold(key, 1_000, T0.plus(Duration.ofMinutes(5)));
        Hold olderExpired = f.hold(key, 1_000, T0.plus(Duration.ofMinutes(2)));
        Hold notYet = f.hold(key, 1_000, LATER.plus(Duration.ofMinutes(30)));
        Hold settled = f.hold(key, 1_000, T0.plus(Duration.ofMinutes(5)));
        for (Hold h : List.of(expired, olderExpired, notYet, settled)) {
            f.balances.reserve(h);
        }
        f.balances.settle(settled, charge(settled, 10));

        List<Hold> found = mine(f.balances.expiredHolds(LATER, 1_000), key);

        assertThat(found).extracting(Hold::holdId).containsExactly(olderExpired.holdId(), expired.holdId());
        assertThat(found.get(1)).as("read back whole").isEqualTo(expired);
    }

    @Test
    void releaseOfAnExpiredHoldReturnsTheMoneyOnce() throws Exception {
        ApiKey key = f.account(10_000);
        Hold hold = f.hold(key, 4_000);
        f.balances.reserve(hold);
        assertThat(f.balance(key.accountId())).isEqualTo(6_000);

        assertThat(f.balances.release(hold, LATER)).isTrue();

        assertThat(f.balance(key.accountId())).isEqualTo(10_000);
        assertThat(mine(f.balances.expiredHolds(LATER, 1_000), key)).isEmpty();
        assertThat(Attr.str(f.holdItem(hold.holdId()), "state")).isEqualTo("released");
        LedgerEntry entry = f.entries(key.accountId(), hold.holdId()).getFirst();
        assertThat(entry.amount()).isEqualTo(Money.ZERO);
        assertThat(entry.request().status()).isEqualTo("hold_expired");

        assertThat(f.balances.release(hold, LATER)).as("second release").isFalse();
        assertThat(f.balance(key.accountId())).isEqualTo(10_000);
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void releaseReturnsTheKeyBudgetToo() throws Exception {
        ApiKey owner = f.account(10_000);
        ApiKey key = f.budgetKey(owner.accountId(), 5_000);
        Hold hold = f.hold(key, 4_000);
        f.balances.reserve(hold);

        f.balances.release(hold, LATER);

        assertThat(f.keyRemainingAndSpent(key)).containsExactly(5_000, 0);
        assertThat(f.balance(owner.accountId())).isEqualTo(10_000);
    }

    @Test
    void aSettleArrivingAfterTheReleaseChangesNothing() throws Exception {
        ApiKey key = f.account(10_000);
        Hold hold = f.hold(key, 4_000);
        f.balances.reserve(hold);
        f.balances.release(hold, LATER);

        Settlement late = f.balances.settle(hold, charge(hold, 3_000));

        assertThat(late.alreadySettled()).isTrue();
        assertThat(late.charged()).isEqualTo(Money.ZERO);
        assertThat(f.balance(key.accountId())).isEqualTo(10_000);
        assertThat(f.entries(key.accountId(), hold.holdId())).hasSize(1);
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void aReleaseArrivingAfterTheSettleChangesNothing() throws Exception {
        ApiKey key = f.account(10_000);
        Hold hold = f.hold(key, 4_000);
        f.balances.reserve(hold);
        f.balances.settle(hold, charge(hold, 3_000));

        assertThat(f.balances.release(hold, LATER)).isFalse();

        assertThat(f.balance(key.accountId())).isEqualTo(7_000);
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void creditIsAppliedOncePerEntryId() {
        ApiKey key = f.account(1_000);
        LedgerEntry topUp = LedgerEntry.of(key.accountId(), "evt_topup_1", LedgerType.TOPUP, Money.ofMicros(5_000_000),
                T0, "cs_test_1", "Stripe top-up");

        Settlement first = f.balances.adjust(topUp);
        Settlement again = f.balances.adjust(topUp);

        assertThat(first.alreadySettled()).isFalse();
        assertThat(first.balance()).isEqualTo(Money.ofMicros(5_001_000));
        assertThat(again.alreadySettled()).isTrue();
        assertThat(f.balance(key.accountId())).isEqualTo(5_001_000);
        assertThat(f.entries(key.accountId(), "evt_topup_1")).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(LedgerType.TOPUP));
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void sameEntryIdWithADifferentAmountIsStillOnlyAppliedOnce() {
        ApiKey key = f.account(0);
        f.balances.adjust(LedgerEntry.of(key.accountId(), "op-1", LedgerType.ADMIN_CREDIT, Money.ofMicros(700), T0, null, null));
        f.balances.adjust(LedgerEntry.of(key.accountId(), "op-1", LedgerType.ADMIN_CREDIT, Money.ofMicros(900), T0, null, null));
        assertThat(f.balance(key.accountId())).isEqualTo(700);
    }

    @Test
    void debitWithinTheBalanceIsTakenInFull() {
        ApiKey key = f.account(10_000);
        Settlement s = f.balances.adjust(LedgerEntry.of(key.accountId(), "debit-1", LedgerType.ADMIN_DEBIT,
                Money.ofMicros(-4_000), T0, null, "correction"));
        assertThat(s.shortfall()).isEqualTo(Money.ZERO);
        assertThat(f.balance(key.accountId())).isEqualTo(6_000);
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void debitLargerThanTheBalanceTakesItToZeroAndOwesTheShortfall() {
        ApiKey key = f.account(3_000);
        LedgerEntry refund = LedgerEntry.of(key.accountId(), "evt_refund_1", LedgerType.REFUND, Money.ofMicros(-10_000),
                T0, "ch_1", "Stripe refund");

        Settlement s = f.balances.adjust(refund);

        assertThat(s.alreadySettled()).isFalse();
        assertThat(s.shortfall()).isEqualTo(Money.ofMicros(7_000));
        assertThat(s.balance()).isEqualTo(Money.ZERO);
        assertThat(f.balance(key.accountId())).isZero();
        assertThat(f.entries(key.accountId(), "evt_refund_1")).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(Money.ofMicros(-3_000)));
        assertThat(f.balances.funds(key.accountId())).contains(new BalanceStore.Funds(Money.ZERO, Money.ofMicros(7_000)));
        f.assertBalanceEqualsLedger(key.accountId());

        assertThat(f.balances.adjust(refund).alreadySettled()).as("redelivered refund event").isTrue();
        assertThat(f.balance(key.accountId())).isZero();
        assertThat(f.balances.funds(key.accountId())).as("owed once").contains(new BalanceStore.Funds(Money.ZERO, Money.ofMicros(7_000)));
    }

    @Test
    void debitWhileAHoldIsOpenDoesNotTouchTheHeldMoney() throws Exception {
        ApiKey key = f.account(10_000);
        Hold hold = f.hold(key, 8_000);
        f.balances.reserve(hold);

        Settlement s = f.balances.adjust(LedgerEntry.of(key.accountId(), "debit-2", LedgerType.ADMIN_DEBIT,
                Money.ofMicros(-5_000), T0, null, null));

        assertThat(s.shortfall()).isEqualTo(Money.ofMicros(3_000));
        assertThat(f.balance(key.accountId())).isZero();
        f.balances.settle(hold, charge(hold, 8_000));
        assertThat(f.balance(key.accountId())).isZero();
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void creditToAnUnknownAccountFailsAndWritesNoEntry() {
        assertThatThrownBy(() -> f.balances.adjust(LedgerEntry.of("acct_missing", "op-x", LedgerType.ADMIN_CREDIT,
                Money.ofMicros(100), T0, null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acct_missing");
        assertThat(f.ledger("acct_missing")).isEmpty();
        assertThat(f.balances.balance("acct_missing")).isEmpty();
    }

    private static List<Hold> mine(List<Hold> holds, ApiKey key) {
        return holds.stream().filter(h -> h.accountId().equals(key.accountId())).toList();
    }
}
