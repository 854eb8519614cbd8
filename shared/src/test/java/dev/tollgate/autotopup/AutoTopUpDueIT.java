package dev.tollgate.autotopup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.alerts.AlertDeliveries;
import dev.tollgate.alerts.AlertEvents;
import dev.tollgate.alerts.Alerts;
import dev.tollgate.billing.Settlement;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.money.Money;
import dev.tollgate.store.dynamo.DynamoAlertStore;
import dev.tollgate.store.dynamo.DynamoTables;
import dev.tollgate.store.dynamo.DynamoTopUpStore;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.testkit.MutableClock;
import dev.tollgate.topups.TopUpState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Lambda path of auto top-up, on DynamoDB Local: where the process may not call Stripe (the chat function), a
 * crossing is only claimed, due at once, and the reconciler's {@link AutoTopUps#runDue} starts its payment; a start
 * that failed to reach Stripe is retried with the same idempotency key; a crossing claimed before the customer
 * turned auto top-up off is not charged.
 */
class AutoTopUpDueIT {

    static final Instant T0 = Instant.parse("2026-12-06T23:59:00Z");
    static LocalDynamo dynamo;
    static DynamoAlertStore store;
    static DynamoTopUpStore orders;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        DynamoTables tables = DynamoTables.withPrefix("due-it-");
        tables.createMissing(dynamo.client());
        store = new DynamoAlertStore(dynamo.client(), tables);
        orders = new DynamoTopUpStore(dynamo.client(), tables);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    final MutableClock clock = new MutableClock(T0);
    final List<OffSessionPayments.Charge> charges = new CopyOnWriteArrayList<>();
    final AtomicBoolean stripeDown = new AtomicBoolean();
    // Only this test's account counts: the table is shared by the tests, and runDue starts whatever is due.
    String accountUnderTest;
    final OffSessionPayments stripe = charge -> {
        if (charge.accountId().equals(accountUnderTest)) {
            charges.add(charge);
        }
        if (stripeDown.get()) {
            throw new IllegalStateException("connection refused");
        }
        return OffSessionPayments.Outcome.accepted("pi_test_" + charge.idempotencyKey());
    };
    final Alerts alerts = new Alerts(store, new AlertDeliveries(store, (u, h, b) -> 200, Runnable::run, clock),
            AlertEvents.LOGGING, a -> Money.ZERO, clock, false);

    AutoTopUps autoTopUps(boolean startInProcess) {
        return new AutoTopUps(store, orders, stripe, alerts, AlertEvents.LOGGING, Runnable::run, clock, Duration.ZERO,
                startInProcess);
    }

    ApiKey armedAccount() {
        ApiKey key = ApiKey.create(Ids.newId("key"), Ids.newId("acct"), KeySecret.generate(), "k", KeyRole.MANAGEMENT, T0);
        AutoTopUp none = AutoTopUp.none(key.accountId());
        assertThat(store.replace(none, none.withPaymentMethod("cus_1", "pm_1", T0).withSettings(true,
                Money.parseDollars("5.00"), Money.parseDollars("20.00"), Money.parseDollars("20.00"), true, null, T0))).isTrue();
        accountUnderTest = key.accountId();
        return key;
    }

    static Settlement balance(String dollars) {
        return new Settlement(Money.ZERO, Money.ZERO, Money.parseDollars(dollars), false);
    }

    @Test
    void aCrossingClaimedWhereStripeIsOutOfReachIsStartedByTheReconcilersRun() {
        ApiKey key = armedAccount();
        AutoTopUps chat = autoTopUps(false);
        AutoTopUps reconciler = autoTopUps(true);

        chat.settled(key, balance("4.99"));

        AutoTopUp claimed = store.find(key.accountId()).orElseThrow();
        assertThat(claimed.status()).isEqualTo("pending");
        assertThat(claimed.dueAt()).isEqualTo(T0);
        assertThat(charges).as("the chat function calls no Stripe").isEmpty();
        assertThat(store.due(T0, 100)).contains(key.accountId());

        reconciler.runDue();

        assertThat(charges).singleElement().satisfies(c -> {
            assertThat(c.idempotencyKey()).isEqualTo("autotopup-" + key.accountId() + "-1");
            assertThat(c.amountCents()).isEqualTo(2000);
            assertThat(c.customerId()).isEqualTo("cus_1");
        });
        AutoTopUp started = store.find(key.accountId()).orElseThrow();
        assertThat(started.status()).isEqualTo("started");
        assertThat(started.dueAt()).isNull();
        assertThat(store.due(T0.plusSeconds(3600), 100)).doesNotContain(key.accountId());
        assertThat(orders.find(AutoTopUps.orderId(key.accountId(), 1)).orElseThrow().state()).isEqualTo(TopUpState.PENDING);
        reconciler.runDue();
        assertThat(charges).as("started once").hasSize(1);
    }

    @Test
    void aStartThatCouldNotReachStripeIsRetriedWithTheSameIdempotencyKey() {
        ApiKey key = armedAccount();
        AutoTopUps server = autoTopUps(true);
        stripeDown.set(true);

        server.settled(key, balance("1.00"));

        assertThat(charges).hasSize(1);
        assertThat(store.find(key.accountId()).orElseThrow().status()).isEqualTo("pending");
        server.runDue();
        assertThat(charges).as("its lease has not run out").hasSize(1);
        stripeDown.set(false);
        clock.advance(AutoTopUps.START_LEASE);
        server.runDue();

        assertThat(charges).hasSize(2).extracting(OffSessionPayments.Charge::idempotencyKey).containsOnly(
                "autotopup-" + key.accountId() + "-1");
        assertThat(store.find(key.accountId()).orElseThrow().status()).isEqualTo("started");
    }

    @Test
    void aCrossingClaimedBeforeAutoTopUpWasTurnedOffIsNotCharged() {
        ApiKey key = armedAccount();
        autoTopUps(false).settled(key, balance("4.00"));
        AutoTopUp claimed = store.find(key.accountId()).orElseThrow();
        assertThat(store.replace(claimed, claimed.withSettings(false, claimed.threshold(), claimed.amount(),
                claimed.dailyCap(), false, null, T0))).isTrue();

        autoTopUps(true).runDue();

        assertThat(charges).isEmpty();
        assertThat(store.due(T0.plusSeconds(60), 100)).doesNotContain(key.accountId());
    }
}
