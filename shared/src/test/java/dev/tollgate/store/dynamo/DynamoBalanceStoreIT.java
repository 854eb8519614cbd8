package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.T0;
import static dev.tollgate.store.dynamo.BalanceFixture.charge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.billing.AccountInDebtException;
import dev.tollgate.billing.Hold;
import dev.tollgate.billing.InsufficientFundsException;
import dev.tollgate.billing.InsufficientFundsException.Limit;
import dev.tollgate.billing.Settlement;
import dev.tollgate.billing.UsageRow;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.LocalDynamo;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reserve and settle against DynamoDB Local: holds, charges, shortfalls and once-only settlement. */
class DynamoBalanceStoreIT {

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
    void newAccountBalanceEqualsItsOpeningEntry() {
        ApiKey key = f.account(10_000);
        assertThat(f.balance(key.accountId())).isEqualTo(10_000);
        assertThat(f.ledger(key.accountId())).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(LedgerType.ADMIN_CREDIT));
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void reserveTakesTheHoldFromTheBalanceAndRecordsAnOpenHold() throws Exception {
        ApiKey key = f.account(10_000);
        Hold hold = f.hold(key, 3_000);

        f.balances.reserve(hold);

        assertThat(f.balance(key.accountId())).isEqualTo(7_000);
        assertThat(f.ledger(key.accountId())).as("a hold is not a ledger entry").hasSize(1);
        assertThat(Attr.str(f.holdItem(hold.holdId()), "state")).isEqualTo("open");
    }

    @Test
    void reserveOfTheExactBalanceSucceeds() throws Exception {
        ApiKey key = f.account(3_000);
        f.balances.reserve(f.hold(key, 3_000));
        assertThat(f.balance(key.accountId())).isZero();
    }

    @Test
    void insufficientBalanceIsRefusedWithWhatIsLeftAndChangesNothing() throws Exception {
        ApiKey key = f.account(1_000);
        Hold hold = f.hold(key, 1_001);

        InsufficientFundsException e = catchThrowableOfType(InsufficientFundsException.class, () -> f.balances.reserve(hold));

        assertThat(e).isNotNull();
        assertThat(e.limit()).isEqualTo(Limit.ACCOUNT_BALANCE);
        assertThat(e.available()).isEqualTo(Money.ofMicros(1_000));
        assertThat(f.balance(key.accountId())).isEqualTo(1_000);
        assertThat(f.ledger(key.accountId())).hasSize(1);
        assertThat(f.holdItem(hold.holdId())).as("no hold recorded").isEmpty();
    }

    @Test
    void keyBudgetLimitIsRefusedWithWhatTheKeyHasLeftAndChangesNothing() throws Exception {
        ApiKey owner = f.account(1_000_000);
        ApiKey key = f.budgetKey(owner.accountId(), 5_000);
        Hold hold = f.hold(key, 6_000);

        InsufficientFundsException e = catchThrowableOfType(InsufficientFundsException.class, () -> f.balances.reserve(hold));

        assertThat(e).isNotNull();
        assertThat(e.limit()).isEqualTo(Limit.KEY_BUDGET);
        assertThat(e.available()).isEqualTo(Money.ofMicros(5_000));
        assertThat(f.balance(owner.accountId())).isEqualTo(1_000_000);
        assertThat(f.keyRemainingAndSpent(key)).containsExactly(5_000, 0);
        assertThat(f.holdItem(hold.holdId())).isEmpty();
    }

    @Test
    void keyBudgetLoweredBelowWhatWasSpentIsReportedAsNothingLeftNotANegativeAmount() {
        // Lowering a budget under what the key spent leaves remaining < 0 (see KeyItems); the refusal feeds the
        // 403 message "… $X of its budget left", which must not read "-$0.000500".
        ApiKey owner = f.account(1_000_000);
        ApiKey base = f.budgetKey(owner.accountId(), 10_000);
        ApiKey overspent = new ApiKey(base.keyId() + "x", owner.accountId(), base.secretHash() + "x", base.prefix(),
                null, KeyRole.INFERENCE, Money.ofMicros(1_000), Money.ofMicros(1_500), null, null, false, null, T0, null);
        f.keys.create(overspent);

        InsufficientFundsException e = catchThrowableOfType(InsufficientFundsException.class,
                () -> f.balances.reserve(f.hold(overspent, 100)));

        assertThat(e.limit()).isEqualTo(Limit.KEY_BUDGET);
        assertThat(e.available()).isEqualTo(Money.ZERO);
    }

    @Test
    void budgetedHoldTakesFromBalanceAndKeyBudget() throws Exception {
        ApiKey owner = f.account(100_000);
        ApiKey key = f.budgetKey(owner.accountId(), 5_000);

        f.balances.reserve(f.hold(key, 2_000));

        assertThat(f.balance(owner.accountId())).isEqualTo(98_000);
        assertThat(f.keyRemainingAndSpent(key)).containsExactly(3_000, 2_000);
    }

    @Test
    void reservingTheSameHoldTwiceFailsAndTakesTheMoneyOnce() throws Exception {
        ApiKey key = f.account(10_000);
        Hold hold = f.hold(key, 1_000);
        f.balances.reserve(hold);

        assertThatThrownBy(() -> f.balances.reserve(hold)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(hold.holdId());
        assertThat(f.balance(key.accountId())).isEqualTo(9_000);
    }

    @Test
    void settleChargesTheCostRefundsTheRestAndWritesOneChargeEntry() throws Exception {
        ApiKey key = f.account(10_000);
        Hold hold = f.hold(key, 3_000);
        f.balances.reserve(hold);

        Settlement s = f.balances.settle(hold, charge(hold, 1_234));

        assertThat(s).isEqualTo(new Settlement(Money.ofMicros(1_234), Money.ZERO, Money.ofMicros(8_766), false));
        assertThat(f.balance(key.accountId())).isEqualTo(8_766);
        LedgerEntry entry = f.entries(key.accountId(), hold.holdId()).getFirst();
        assertThat(f.entries(key.accountId(), hold.holdId())).hasSize(1);
        assertThat(entry.type()).isEqualTo(LedgerType.CHARGE);
        assertThat(entry.amount()).isEqualTo(Money.ofMicros(-1_234));
        assertThat(entry.keyId()).isEqualTo(key.keyId());
        assertThat(entry.request().model()).isEqualTo(BalanceFixture.MODEL);
        assertThat(entry.request().status()).isEqualTo("ok");
        assertThat(entry.request().latencyMs()).isEqualTo(250);
        assertThat(entry.request().usage().promptTokens()).isEqualTo(100);
        assertThat(entry.request().usage().completionTokens()).isEqualTo(20);
        assertThat(entry.request().usage().reasoningTokens()).isEqualTo(5);
        assertThat(entry.request().usage().cachedTokens()).isEqualTo(10);
        assertThat(entry.request().shortfall()).isEqualTo(Money.ZERO);
        assertThat(Attr.str(f.holdItem(hold.holdId()), "state")).isEqualTo("settled");
        assertThat(f.balances.usage(key.accountId(), LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-01")))
                .containsExactly(new UsageRow("2026-03-01", BalanceFixture.MODEL, 1, 100, 20, Money.ofMicros(1_234)));
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void usageCountersAddUpAcrossRequests() throws Exception {
        ApiKey key = f.account(10_000);
        for (long cost : new long[] {100, 250}) {
            Hold hold = f.hold(key, 1_000);
            f.balances.reserve(hold);
            f.balances.settle(hold, charge(hold, cost));
        }
        assertThat(f.balances.usage(key.accountId(), LocalDate.parse("2026-02-28"), LocalDate.parse("2026-03-02")))
                .containsExactly(new UsageRow("2026-03-01", BalanceFixture.MODEL, 2, 200, 40, Money.ofMicros(350)));
    }

    @Test
    void settlingTheSameHoldTwiceChangesNothingTheSecondTime() throws Exception {
        ApiKey key = f.account(10_000);
        Hold hold = f.hold(key, 3_000);
        f.balances.reserve(hold);
        f.balances.settle(hold, charge(hold, 1_000));

        Settlement again = f.balances.settle(hold, charge(hold, 2_000));

        assertThat(again.alreadySettled()).isTrue();
        assertThat(again.charged()).isEqualTo(Money.ZERO);
        assertThat(again.balance()).isEqualTo(Money.ofMicros(9_000));
        assertThat(f.balance(key.accountId())).isEqualTo(9_000);
        assertThat(f.entries(key.accountId(), hold.holdId())).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(Money.ofMicros(-1_000)));
        assertThat(f.balances.usage(key.accountId(), LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-01")))
                .singleElement().satisfies(row -> assertThat(row.requests()).isEqualTo(1));
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void settleRefundsTheKeyBudgetToo() throws Exception {
        ApiKey owner = f.account(100_000);
        ApiKey key = f.budgetKey(owner.accountId(), 5_000);
        Hold hold = f.hold(key, 3_000);
        f.balances.reserve(hold);

        f.balances.settle(hold, charge(hold, 1_200));

        assertThat(f.keyRemainingAndSpent(key)).containsExactly(3_800, 1_200);
        assertThat(f.balance(owner.accountId())).isEqualTo(98_800);
        f.assertBalanceEqualsLedger(owner.accountId());
    }

    @Test
    void costAboveTheHoldIsChargedInFullWhenTheBalanceCoversIt() throws Exception {
        ApiKey key = f.account(10_000);
        Hold hold = f.hold(key, 1_000);
        f.balances.reserve(hold);

        Settlement s = f.balances.settle(hold, charge(hold, 2_500));

        assertThat(s.charged()).isEqualTo(Money.ofMicros(2_500));
        assertThat(s.shortfall()).isEqualTo(Money.ZERO);
        assertThat(f.balance(key.accountId())).isEqualTo(7_500);
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void costAboveTheHoldAndTheBalanceChargesWhatIsLeftAndTheRestBecomesDebt() throws Exception {
        ApiKey key = f.account(2_000);
        Hold hold = f.hold(key, 1_500);
        f.balances.reserve(hold);

        Settlement s = f.balances.settle(hold, charge(hold, 5_000));

        assertThat(s.charged()).isEqualTo(Money.ofMicros(2_000));
        assertThat(s.shortfall()).isEqualTo(Money.ofMicros(3_000));
        assertThat(s.balance()).isEqualTo(Money.ZERO);
        assertThat(f.balance(key.accountId())).as("never negative").isZero();
        LedgerEntry entry = f.entries(key.accountId(), hold.holdId()).getFirst();
        assertThat(entry.amount()).isEqualTo(Money.ofMicros(-2_000));
        assertThat(entry.request().shortfall()).isEqualTo(Money.ofMicros(3_000));
        f.assertBalanceEqualsLedger(key.accountId());
        // Owed, not written off: the account's debt blocks its next hold until a credit pays it.
        assertThat(f.balances.funds(key.accountId()).orElseThrow().debt()).isEqualTo(Money.ofMicros(3_000));
        assertThatThrownBy(() -> f.balances.reserve(f.hold(key, 1))).isInstanceOf(AccountInDebtException.class);
    }

    /**
     * Usage beyond the hold was delivered: the account pays all of it from its balance, and the key's record shows
     * it past its budget (so the key is refused until the budget is raised) rather than the cost being forgiven.
     */
    @Test
    void costAboveTheHoldIsChargedToTheAccountAndTakesTheKeyPastItsBudget() throws Exception {
        ApiKey owner = f.account(1_000_000);
        ApiKey key = f.budgetKey(owner.accountId(), 2_000);
        Hold hold = f.hold(key, 1_500);
        f.balances.reserve(hold);

        Settlement s = f.balances.settle(hold, charge(hold, 5_000));

        assertThat(s.charged()).isEqualTo(Money.ofMicros(5_000));
        assertThat(s.shortfall()).isEqualTo(Money.ZERO);
        assertThat(f.keyRemainingAndSpent(key)).containsExactly(-3_000, 5_000);
        assertThat(f.balance(owner.accountId())).isEqualTo(995_000);
        f.assertBalanceEqualsLedger(owner.accountId());
        assertThatThrownBy(() -> f.balances.reserve(f.hold(key, 1))).isInstanceOf(InsufficientFundsException.class);
    }

    @Test
    void settlingAHoldThatWasNeverReservedChangesNothing() {
        ApiKey key = f.account(10_000);
        Hold ghost = f.hold(key, 1_000);

        Settlement s = f.balances.settle(ghost, charge(ghost, 500));

        assertThat(s.alreadySettled()).isTrue();
        assertThat(f.balance(key.accountId())).isEqualTo(10_000);
        assertThat(f.entries(key.accountId(), ghost.holdId())).isEmpty();
    }

    @Test
    void recordMetersAFreeRequestOnceWithoutMovingTheBalance() {
        ApiKey key = f.account(10_000);
        Hold free = f.hold(key, 0);

        Settlement first = f.balances.record(charge(free, 0));
        Settlement again = f.balances.record(charge(free, 0));

        assertThat(first.alreadySettled()).isFalse();
        assertThat(again.alreadySettled()).isTrue();
        assertThat(f.balance(key.accountId())).isEqualTo(10_000);
        assertThat(f.entries(key.accountId(), free.holdId())).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(Money.ZERO));
        List<UsageRow> usage = f.balances.usage(key.accountId(), LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-01"));
        assertThat(usage).singleElement().satisfies(row -> assertThat(row.requests()).isEqualTo(1));
    }
}
