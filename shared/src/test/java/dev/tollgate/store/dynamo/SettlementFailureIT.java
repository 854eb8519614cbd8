package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.Backoff;
import dev.tollgate.billing.BalanceCache;
import dev.tollgate.billing.Charge;
import dev.tollgate.billing.HoldReconciler;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.billing.Reservation;
import dev.tollgate.billing.Settlement;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.money.TokenPrice;
import dev.tollgate.testkit.ExpectedLog;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.testkit.MutableClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Every request settles: a settlement that keeps failing (DynamoDB throttling, injected at the SDK) is retried,
 * then recorded on the hold, and the reconciler charges it; a request whose process died charges what it last
 * recorded as delivered. Neither is released for free.
 */
class SettlementFailureIT {

    private static final ModelPricing PRICING = new ModelPricing(TokenPrice.perMillionDollars("1"),
            TokenPrice.perMillionDollars("2"));
    private static final AtomicBoolean THROTTLE = new AtomicBoolean();
    private static final AtomicInteger THROTTLED = new AtomicInteger();

    private static LocalDynamo dynamo;
    private static BalanceFixture f;
    private static DynamoDbClient throttled;
    private static DynamoBalanceStore failingStore;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        f = new BalanceFixture(dynamo.client());
        throttled = LocalDynamo.clientFor(dynamo.endpoint(), new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (THROTTLE.get() && context.request() instanceof TransactWriteItemsRequest) {
                    THROTTLED.incrementAndGet();
                    throw ProvisionedThroughputExceededException.builder().message("injected throttling").build();
                }
            }
        });
        failingStore = new DynamoBalanceStore(throttled, f.tables);
    }

    @AfterAll
    static void stop() {
        throttled.close();
        dynamo.close();
    }

    @Test
    void aSettlementThatKeepsFailingIsRetriedThenChargedByTheReconciler() {
        MutableClock clock = new MutableClock(T0);
        RequestBilling billing = billing(failingStore, clock);
        ApiKey key = f.account(1_000_000);
        Reservation reservation = billing.reserve(key, "m", "req_throttled_" + System.nanoTime(), Money.ofMicros(50_000));
        TokenUsage delivered = new TokenUsage(1_000, 2_000, 0, 0, false);
        Money cost = PRICING.cost(1_000, 2_000);

        THROTTLE.set(true);
        THROTTLED.set(0);
        Settlement settlement;
        try (ExpectedLog log = ExpectedLog.of(RequestBilling.class)) {
            settlement = billing.settle(reservation, "m", PRICING, delivered, "ok");
            assertThat(log.errors()).singleElement().asString()
                    .contains("settlement failed 4 times; its charge of $0.005000 is recorded on the hold for the reconciler");
        } finally {
            THROTTLE.set(false);
        }

        assertThat(THROTTLED.get()).as("tried again before giving up").isEqualTo(4);
        assertThat(settlement.isDeferred()).isTrue();
        assertThat(settlement.charged()).isEqualTo(cost);
        assertThat(f.balance(key.accountId())).as("still held").isEqualTo(950_000);
        Charge recorded = f.balances.recordedCharge(reservation.hold()).orElseThrow();
        assertThat(recorded.cost()).isEqualTo(cost);
        // A progress write still in flight from the stream's timer cannot replace the final charge with a smaller one.
        billing.recordProgress(reservation, "m", PRICING, new TokenUsage(1_000, 10, 0, 0, true));
        assertThat(f.balances.recordedCharge(reservation.hold()).orElseThrow().cost()).isEqualTo(cost);

        // Due at once: the next reconciler run charges it, without waiting for the hold to expire.
        clock.advance(Duration.ofSeconds(1));
        assertThat(new HoldReconciler(f.balances, clock, 10).releaseExpired()).isGreaterThanOrEqualTo(1);

        LedgerEntry entry = f.entries(key.accountId(), reservation.requestId()).getFirst();
        assertThat(entry.amount()).isEqualTo(cost.negate());
        assertThat(entry.request().status()).isEqualTo("reconciled:ok");
        assertThat(entry.request().usage().completionTokens()).isEqualTo(2_000);
        assertThat(f.balance(key.accountId())).isEqualTo(1_000_000 - cost.micros());
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void aHoldWhoseProcessDiedIsChargedForWhatItRecordedAsDeliveredAtExpiry() {
        MutableClock clock = new MutableClock(T0);
        RequestBilling billing = billing(f.balances, clock);
        ApiKey key = f.account(1_000_000);
        Reservation reservation = billing.reserve(key, "m", "req_died_" + System.nanoTime(), Money.ofMicros(50_000));
        billing.recordProgress(reservation, "m", PRICING, new TokenUsage(1_000, 300, 0, 0, true));
        billing.recordProgress(reservation, "m", PRICING, new TokenUsage(1_000, 700, 0, 0, true));
        // ... and then the process is killed: nothing settles it.

        HoldReconciler reconciler = new HoldReconciler(f.balances, clock, 10);
        assertThat(reconciler.releaseExpired()).as("not expired yet").isZero();
        clock.advance(Duration.ofMinutes(6));
        assertThat(reconciler.releaseExpired()).isGreaterThanOrEqualTo(1);

        LedgerEntry entry = f.entries(key.accountId(), reservation.requestId()).getFirst();
        assertThat(entry.amount()).isEqualTo(PRICING.cost(1_000, 700).negate());
        assertThat(entry.request().status()).isEqualTo("reconciled:in_progress");
        assertThat(f.balance(key.accountId())).isEqualTo(1_000_000 - PRICING.cost(1_000, 700).micros());
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void progressRecordedAfterTheSettlementChangesNothing() {
        MutableClock clock = new MutableClock(T0);
        RequestBilling billing = billing(f.balances, clock);
        ApiKey key = f.account(1_000_000);
        Reservation reservation = billing.reserve(key, "m", "req_late_" + System.nanoTime(), Money.ofMicros(50_000));
        billing.settle(reservation, "m", PRICING, new TokenUsage(10, 10, 0, 0, false), "ok");

        billing.recordProgress(reservation, "m", PRICING, new TokenUsage(1_000, 700, 0, 0, true));

        assertThat(f.balances.recordedCharge(reservation.hold())).isEmpty();
        clock.advance(Duration.ofHours(1));
        new HoldReconciler(f.balances, clock, 10).releaseExpired();
        assertThat(f.balance(key.accountId())).isEqualTo(1_000_000 - PRICING.cost(10, 10).micros());
    }

    private static RequestBilling billing(DynamoBalanceStore store, MutableClock clock) {
        return new RequestBilling(store, clock, Duration.ofMinutes(5), "Top up.", null,
                new BalanceCache<>(clock, Duration.ZERO), Backoff.immediate(4));
    }
}
