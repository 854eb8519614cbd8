package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.billing.BalanceCache;
import dev.tollgate.billing.DailyQuotaExceededException;
import dev.tollgate.billing.FreeQuota;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.billing.Reservation;
import dev.tollgate.billing.UsageBatcher;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.testkit.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The daily token quota of a free model against DynamoDB Local, with free requests billed the real way
 * (RequestBilling → UsageBatcher → the usage table): refused once the day's tokens reach the quota, whether they
 * are written or still in the batcher; no write and one Query per account and TTL, counted at the SDK.
 */
class FreeQuotaIT {

    private static final String FREE = "test/free";
    private static final Duration TTL = Duration.ofSeconds(1);
    private static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private static LocalDynamo dynamo;
    private static DynamoDbClient counted;
    private static BalanceFixture f;

    private final MutableClock clock = new MutableClock(BalanceFixture.T0);
    private UsageBatcher batcher;
    private RequestBilling billing;
    private FreeQuota quota;
    private ModelEntry free;
    private ModelEntry paid;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        counted = LocalDynamo.clientFor(dynamo.endpoint(), new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                        op -> new AtomicInteger()).incrementAndGet();
            }
        });
        f = new BalanceFixture(counted);
    }

    @AfterAll
    static void stop() {
        counted.close();
        dynamo.close();
    }

    @BeforeEach
    void wire() throws IOException {
        Catalog catalog = CatalogLoader.parse(new ByteArrayInputStream("""
                {"version": 1, "models": [
                  {"id": "test/paid", "upstream": "ollama", "context_length": 8192, "max_output_tokens": 1000,
                   "pricing": {"input_per_million_usd": "1", "output_per_million_usd": "2"}, "capabilities": ["chat"]},
                  {"id": "test/free", "upstream": "free-pool", "context_length": 8192, "max_output_tokens": 1000,
                   "pricing": {"input_per_million_usd": "0", "output_per_million_usd": "0"}, "capabilities": ["chat"],
                   "daily_token_quota": 1000}
                ]}""".getBytes(StandardCharsets.UTF_8)));
        free = catalog.find(FREE).orElseThrow();
        paid = catalog.find("test/paid").orElseThrow();
        batcher = new UsageBatcher(f.balances);
        billing = new RequestBilling(f.balances, clock, BalanceFixture.HOLD_TTL, "Top up.", batcher,
                new BalanceCache<>(clock, TTL));
        quota = new FreeQuota(catalog, f.balances, batcher, clock, TTL);
    }

    @Test
    void theQuotaCountsWrittenAndUnwrittenTokensOfTheDayAndCostsNoWriteAndOneQueryPerTtl() {
        ApiKey key = f.account(1_000_000);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        freeRequest(key, 400, 200);
        batcher.flush();                    // 600 in the usage table
        freeRequest(key, 300, 99);          // 399 only in the batcher

        Map<String, Integer> before = snapshot();
        for (int i = 0; i < 50; i++) {
            assertThatCode(() -> quota.check(key.accountId(), FREE, today)).doesNotThrowAnyException();
        }
        assertThat(delta(before, snapshot())).as("50 checks: one Query, no write").isEqualTo(Map.of("Query", 1));

        freeRequest(key, 1, 0);             // the 1000th token, still unwritten
        before = snapshot();
        assertThatThrownBy(() -> quota.check(key.accountId(), FREE, today))
                .isInstanceOfSatisfying(DailyQuotaExceededException.class, e -> {
                    assertThat(e.used()).isEqualTo(1000);
                    assertThat(e.headers()).containsEntry("Retry-After", Long.toString(14 * 3600));
                    assertThat(e.getMessage()).contains("test/paid");
                });
        assertThat(delta(before, snapshot())).as("within the TTL: nothing").isEmpty();

        batcher.flush();
        clock.advance(TTL);
        Map<String, Integer> beforeReread = snapshot();
        assertThatThrownBy(() -> quota.check(key.accountId(), FREE, today)).isInstanceOf(DailyQuotaExceededException.class);
        assertThat(delta(beforeReread, snapshot())).as("read again from the table after the TTL").isEqualTo(Map.of("Query", 1));
    }

    @Test
    void otherDaysOtherModelsAndOtherAccountsDoNotCount() {
        ApiKey key = f.account(1_000_000);
        ApiKey other = f.account(1_000_000);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        clock.advance(Duration.ofDays(-1));
        freeRequest(key, 5_000, 0);                              // yesterday
        clock.advance(Duration.ofDays(1));
        freeRequest(other, 5_000, 0);                            // another account
        billing.settle(billing.reserve(key, "test/paid", Ids.newId("req"), Money.ofMicros(100_000)), "test/paid",
                paid.pricing(), new TokenUsage(5_000, 0, 0, 0, false), "ok"); // another model, by a paid settlement
        batcher.flush();

        assertThat(quota.used(key.accountId(), FREE, today)).isZero();
        assertThat(quota.used(other.accountId(), FREE, today)).isEqualTo(5_000);
        assertThatCode(() -> quota.check(key.accountId(), FREE, today)).doesNotThrowAnyException();
        assertThatThrownBy(() -> quota.check(other.accountId(), FREE, today)).isInstanceOf(DailyQuotaExceededException.class);
    }

    /** One free request, billed as the chat service bills it: a reservation without a hold, then a settlement. */
    private void freeRequest(ApiKey key, long prompt, long completion) {
        Reservation reservation = billing.reserve(key, FREE, Ids.newId("req"), Money.ZERO);
        billing.settle(reservation, FREE, free.pricing(), new TokenUsage(prompt, completion, 0, 0, false), "ok");
    }

    private static Map<String, Integer> snapshot() {
        Map<String, Integer> copy = new TreeMap<>();
        calls.forEach((op, n) -> copy.put(op, n.get()));
        return copy;
    }

    private static Map<String, Integer> delta(Map<String, Integer> from, Map<String, Integer> to) {
        Map<String, Integer> d = new TreeMap<>();
        to.forEach((op, n) -> {
            int diff = n - from.getOrDefault(op, 0);
            if (diff != 0) {
                d.put(op, diff);
            }
        });
        return d;
    }

}
