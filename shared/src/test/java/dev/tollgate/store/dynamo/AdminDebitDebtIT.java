package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.T0;
import static dev.tollgate.store.dynamo.BalanceFixture.race;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.accounts.BalanceAdjustments;
import dev.tollgate.accounts.BalanceAdjustments.Adjusted;
import dev.tollgate.billing.AccountInDebtException;
import dev.tollgate.billing.BalanceStore.Funds;
import dev.tollgate.billing.Hold;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.testkit.MutableClock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operator debit larger than the balance: the balance gives what it holds, the rest becomes the account's
 * debt in the same transaction as the ledger entry, once per reference, and the account's keys are refused
 * until credits pay it (DESIGN.md: what cannot be taken is debt, never a write-off).
 */
class AdminDebitDebtIT {

    private static LocalDynamo dynamo;
    private static BalanceFixture f;
    private static BalanceAdjustments adjustments;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        f = new BalanceFixture(dynamo.client());
        adjustments = new BalanceAdjustments(f.accounts, f.balances, new DynamoLedgerLookup(dynamo.client(), f.tables),
                new MutableClock(T0));
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void theRestOfADebitBeyondTheBalanceIsOwedOnceAndNotedInTheLedger() {
        ApiKey key = f.account(3_000_000);

        Adjusted debit = adjustments.adjust(key.accountId(), Money.parseDollars("-5.00"), "chargeback-1", "dispute lost");
        Adjusted again = adjustments.adjust(key.accountId(), Money.parseDollars("-5.00"), "chargeback-1", "dispute lost");

        assertThat(debit.duplicate()).isFalse();
        assertThat(debit.entry().amount()).isEqualTo(Money.parseDollars("-3.00"));
        assertThat(debit.shortfall()).isEqualTo(Money.parseDollars("2.00"));
        assertThat(debit.balance()).isEqualTo(Money.ZERO);
        assertThat(debit.debt()).isEqualTo(Money.parseDollars("2.00"));
        assertThat(debit.entry().note()).isEqualTo("dispute lost; $2.000000 exceeded the balance and is owed");
        assertThat(again.duplicate()).isTrue();
        assertThat(again.entry()).isEqualTo(debit.entry());
        assertThat(again.debt()).as("owed once").isEqualTo(Money.parseDollars("2.00"));
        assertThat(f.entries(key.accountId(), "admin:chargeback-1")).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(LedgerType.ADMIN_DEBIT));
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void anAccountInDebtIsRefusedUntilCreditsPayIt() throws Exception {
        ApiKey key = f.account(1_000_000);
        adjustments.adjust(key.accountId(), Money.parseDollars("-4.00"), "correction-7", null);

        assertThatThrownBy(() -> f.balances.reserve(f.hold(key, 1_000)))
                .isInstanceOfSatisfying(AccountInDebtException.class,
                        e -> assertThat(e.owed()).isEqualTo(Money.parseDollars("3.00")));

        adjustments.adjust(key.accountId(), Money.parseDollars("2.00"), "goodwill-1", null);
        assertThatThrownBy(() -> f.balances.reserve(f.hold(key, 1_000))).as("a credit smaller than the debt")
                .isInstanceOfSatisfying(AccountInDebtException.class,
                        e -> assertThat(e.owed()).isEqualTo(Money.parseDollars("1.00")));

        adjustments.adjust(key.accountId(), Money.parseDollars("5.00"), "goodwill-2", null);
        Hold hold = f.hold(key, 1_000);
        f.balances.reserve(hold);

        assertThat(f.balances.funds(key.accountId())).contains(new Funds(Money.ofMicros(4_000_000 - 1_000), Money.ZERO));
        f.balances.settle(hold, BalanceFixture.charge(hold, 1_000));
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void concurrentRepeatsOfOneDebitOweItsShortfallExactlyOnce() throws Exception {
        ApiKey key = f.account(500_000);

        List<Object> results = race(12, i -> () -> adjustments.adjust(key.accountId(), Money.parseDollars("-2.00"),
                "invoice-void-9", null));

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(Adjusted.class));
        assertThat(results).filteredOn(r -> !((Adjusted) r).duplicate()).hasSize(1);
        assertThat(f.balances.funds(key.accountId())).contains(new Funds(Money.ZERO, Money.parseDollars("1.50")));
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void aDebitOfAnAccountAtZeroOwesItAll() {
        ApiKey key = f.account(0);

        Adjusted debit = adjustments.adjust(key.accountId(), Money.parseDollars("-1.25"), "fee-1", null);

        assertThat(debit.entry().amount()).isEqualTo(Money.ZERO);
        assertThat(debit.shortfall()).isEqualTo(Money.parseDollars("1.25"));
        assertThat(debit.entry().note()).isEqualTo("$1.250000 exceeded the balance and is owed");
        assertThat(f.balances.funds(key.accountId())).contains(new Funds(Money.ZERO, Money.parseDollars("1.25")));
    }
}
