package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.HOLD_TTL;
import static dev.tollgate.store.dynamo.BalanceFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.BalanceCache;
import dev.tollgate.billing.BalanceStore;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.billing.Reservation;
import dev.tollgate.billing.Settlement;
import dev.tollgate.billing.UsageBatcher;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.money.TokenPrice;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Free requests (no hold) take their debt check and their balance header from what the instance last saw of
 * the account: one DynamoDB read per account and TTL serves both, in the background once the account is
 * known. Counted at the SDK, against DynamoDB Local.
 */
class FreeRequestAccountViewIT {

    private static final Duration TTL = Duration.ofSeconds(1);

    private static LocalDynamo dynamo;
    private static DynamoDbClient counted;
    private static BalanceFixture f;
    private static final AtomicInteger reads = new AtomicInteger();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final Queue<Runnable> background = new ArrayDeque<>();

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        counted = LocalDynamo.clientFor(dynamo.endpoint(), new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                if ("GetItem".equals(operation) || "BatchGetItem".equals(operation) || "Query".equals(operation)) {
                    reads.incrementAndGet();
                }
            }
        });
        f = new BalanceFixture(counted);
    }

    @AfterAll
    static void stop() {
        counted.close();
        dynamo.close();
    }

    @Test
    void oneReadServesAFreeRequestsDebtCheckAndBalanceAndAStaleViewIsReadOnceInTheBackground() {
        ApiKey key = f.account(5_000_000);
        RequestBilling billing = billing();

        int before = reads.get();
        Settlement first = freeRequest(billing, key, "req_1");
        assertThat(reads.get() - before).as("an unknown account: one read in the request").isEqualTo(1);
        assertThat(first.balance()).isEqualTo(Money.ofMicros(5_000_000));

        clock.advance(TTL);
        before = reads.get();
        Settlement second = freeRequest(billing, key, "req_2");
        assertThat(reads.get() - before).as("stale: served at once, nothing read in the request").isZero();
        assertThat(second.balance()).isEqualTo(Money.ofMicros(5_000_000));
        assertThat(background).as("one refresh for the debt check and the balance").hasSize(1);

        background.poll().run();
        assertThat(reads.get() - before).isEqualTo(1);
        before = reads.get();
        freeRequest(billing, key, "req_3");
        assertThat(reads.get() - before).as("fresh again").isZero();
        assertThat(background).isEmpty();
    }

    @Test
    void aPaidRequestsSettlementUpdatesTheBalanceFreeRequestsShowButNotTheAgeOfTheirView() throws Exception {
        ApiKey key = f.account(5_000_000);
        RequestBilling billing = billing();
        freeRequest(billing, key, "req_free");

        Reservation paid = billing.reserve(key, MODEL, Ids.newId("req"), Money.ofMicros(1_000_000));
        // $1 per million tokens each way: 100,000 + 150,000 tokens cost $0.25.
        ModelPricing dollarPerMillion = new ModelPricing(TokenPrice.perMillionDollars("1"), TokenPrice.perMillionDollars("1"));
        billing.settle(paid, MODEL, dollarPerMillion, new TokenUsage(100_000, 150_000, 0, 0, false), "ok");
        int before = reads.get();
        Settlement after = freeRequest(billing, key, "req_free_2");

        assertThat(after.balance()).as("the paid settlement's balance, without a read").isEqualTo(Money.ofMicros(4_750_000));
        assertThat(reads.get() - before).isZero();
        assertThat(background).isEmpty();

        clock.advance(TTL);   // the debt part was not learnt from the paid request: still read at the TTL
        freeRequest(billing, key, "req_free_3");
        assertThat(background).hasSize(1);
    }

    @Test
    void anAccountOnlyPaidRequestsUsedIsReadByItsFirstFreeRequest() throws Exception {
        ApiKey key = f.account(5_000_000);
        RequestBilling billing = billing();
        Reservation paid = billing.reserve(key, MODEL, Ids.newId("req"), Money.ofMicros(1_000_000));
        billing.settle(paid, MODEL, ModelPricing.FREE, TokenUsage.NONE, "ok");

        int before = reads.get();
        freeRequest(billing, key, "req_free");

        assertThat(reads.get() - before).as("what it owes is not known from the paid request").isEqualTo(1);
    }

    private RequestBilling billing() {
        return new RequestBilling(f.balances, clock, HOLD_TTL, "Add credit.", new UsageBatcher(f.balances),
                new BalanceCache<BalanceStore.Funds>(clock, TTL, background::add));
    }

    private static Settlement freeRequest(RequestBilling billing, ApiKey key, String requestId) {
        Reservation reservation = billing.reserve(key, "free/model", requestId, Money.ZERO);
        Settlement settlement = billing.settle(reservation, "free/model", ModelPricing.FREE, new TokenUsage(3, 2, 0, 0, false), "ok");
        assertThat(billing.balanceFor(reservation)).isEqualTo(settlement.balance());
        return settlement;
    }
}
