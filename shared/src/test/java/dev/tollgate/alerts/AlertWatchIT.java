package dev.tollgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.Settlement;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.money.Money;
import dev.tollgate.store.dynamo.DynamoAlertStore;
import dev.tollgate.store.dynamo.DynamoTables;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Alerts raised by settlements, once per crossing, on DynamoDB Local: 20 settlements racing below the low-balance
 * threshold raise one {@code low_balance}, which re-arms only once the balance is seen above it again; a key's budget
 * raises {@code budget_80} and {@code budget_100} once each, and again after the budget is raised.
 */
class AlertWatchIT {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static LocalDynamo dynamo;
    static DynamoAlertStore store;

    @BeforeAll
    static void startDynamo() {
        dynamo = LocalDynamo.start();
        DynamoTables tables = DynamoTables.withPrefix("watch-it-");
        tables.createMissing(dynamo.client());
        store = new DynamoAlertStore(dynamo.client(), tables);
    }

    @AfterAll
    static void stopDynamo() {
        dynamo.close();
    }

    final MutableClock clock = new MutableClock(T0);
    final AtomicReference<ApiKey> stored = new AtomicReference<>();
    final Alerts alerts = new Alerts(store, new AlertDeliveries(store, (u, h, b) -> 200, Runnable::run, clock),
            AlertEvents.LOGGING, a -> Money.parseDollars("10.00"), clock, false);
    // Direct executor and no settings cache: every settlement reads and decides, the worst case for "once".
    final AlertWatch watch = new AlertWatch(alerts, hash -> Optional.ofNullable(stored.get()), Runnable::run, clock,
            Duration.ZERO);

    static Settlement balance(String dollars) {
        return new Settlement(Money.ZERO, Money.ZERO, Money.parseDollars(dollars), false);
    }

    @Test
    void twentySettlementsRacingBelowTheThresholdRaiseOneLowBalanceAlertAndItReArmsAboveIt() throws Exception {
        ApiKey key = ApiKey.create(Ids.newId("key"), Ids.newId("acct"), KeySecret.generate(), "k", KeyRole.MANAGEMENT, T0);
        alerts.update(key, null, Money.parseDollars("5.00"), false);

        race(20, () -> watch.settled(key, balance("4.99")));
        assertThat(alerts.alerts(key)).extracting(Alert::kind).containsExactly(AlertKind.LOW_BALANCE);
        watch.settled(key, balance("4.00"));
        assertThat(alerts.alerts(key)).as("still below: the same crossing").hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        watch.settled(key, balance("6.00"));
        watch.settled(key, balance("4.50"));

        assertThat(alerts.alerts(key)).hasSize(2).allSatisfy(a -> assertThat(a.kind()).isEqualTo(AlertKind.LOW_BALANCE));
        assertThat(alerts.alerts(key).getFirst().data()).containsEntry("balance_usd", "4.500000")
                .containsEntry("threshold_usd", "5.000000");
    }

    @Test
    void aKeyBudgetRaises80And100OnceEachAndAgainAfterTheBudgetIsRaised() throws Exception {
        ApiKey key = budgeted("10.00", "7.00");
        race(10, () -> watch.settled(key, balance("50.00")));
        assertThat(alerts.alerts(key)).isEmpty();

        stored.set(with(key, "10.00", "8.00"));
        race(10, () -> watch.settled(key, balance("50.00")));
        stored.set(with(key, "10.00", "10.00"));
        race(10, () -> watch.settled(key, balance("50.00")));
        assertThat(alerts.alerts(key)).extracting(Alert::kind).containsExactlyInAnyOrder(AlertKind.BUDGET_100, AlertKind.BUDGET_80);

        clock.advance(Duration.ofSeconds(1));
        stored.set(with(key, "20.00", "16.50"));
        watch.settled(key, balance("50.00"));
        assertThat(alerts.alerts(key)).extracting(Alert::kind).hasSize(3).first().isEqualTo(AlertKind.BUDGET_80);
        assertThat(alerts.alerts(key).getFirst().subject()).isEqualTo(key.keyId());
    }

    private ApiKey budgeted(String budget, String spent) {
        ApiKey plain = ApiKey.create(Ids.newId("key"), Ids.newId("acct"), KeySecret.generate(), "k", KeyRole.MANAGEMENT, T0);
        ApiKey key = with(plain, budget, spent);
        stored.set(key);
        return key;
    }

    private static ApiKey with(ApiKey key, String budget, String spent) {
        return new ApiKey(key.keyId(), key.accountId(), key.secretHash(), key.prefix(), key.name(), key.role(),
                Money.parseDollars(budget), Money.parseDollars(spent), Set.of(), null, false, null, T0, null);
    }

    private static void race(int threads, Runnable work) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    work.run();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        }
    }
}
