package dev.tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The daily token quota of free models: refused at the quota with Retry-After at midnight UTC, counted from the
 * stored usage rows plus what the batcher has not written, read at most once per account and TTL, never written.
 */
class FreeQuotaTest {

    static final String FREE = "test/free";
    static final String CATALOG = """
            {"version": 1, "models": [
              {"id": "test/paid", "upstream": "ollama", "context_length": 8192, "max_output_tokens": 1000,
               "pricing": {"input_per_million_usd": "1", "output_per_million_usd": "2"}, "capabilities": ["chat"]},
              {"id": "test/free", "upstream": "free-pool", "context_length": 8192, "max_output_tokens": 1000,
               "pricing": {"input_per_million_usd": "0", "output_per_million_usd": "0"}, "capabilities": ["chat"],
               "daily_token_quota": 1000},
              {"id": "test/free-unlimited", "upstream": "ollama", "context_length": 8192, "max_output_tokens": 1000,
               "pricing": {"input_per_million_usd": "0", "output_per_million_usd": "0"}, "capabilities": ["chat"]},
              {"id": "test/paid-embed", "upstream": "ollama", "dimensions": 8, "max_input_tokens": 100,
               "pricing": {"input_per_million_usd": "1", "output_per_million_usd": "0"}, "capabilities": ["embeddings"]},
              {"id": "test/paid-2", "upstream": "ollama", "context_length": 8192, "max_output_tokens": 1000,
               "pricing": {"input_per_million_usd": "1", "output_per_million_usd": "2"}, "capabilities": ["chat"],
               "daily_token_quota": 50000}
            ]}""";

    static final LocalDate DAY = LocalDate.parse("2026-01-10");
    private static final Duration TTL = Duration.ofSeconds(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-10T18:30:00Z"));
    private final MemoryUsage stored = new MemoryUsage();
    private final UsageBatcher batcher = new UsageBatcher(stored);
    private final FreeQuota quota = new FreeQuota(catalog(), stored, batcher, clock, TTL);

    static Catalog catalog() {
        try {
            return CatalogLoader.parse(new ByteArrayInputStream(CATALOG.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void belowTheQuotaPassesAndAtItTheAccountIsRefusedUntilMidnightUtcWithThePaidModelsNamed() {
        stored.add(new UsageDelta("acct", DAY.toString(), FREE, 3, 600, 399, 0));
        assertThatCode(() -> quota.check("acct", FREE, DAY)).doesNotThrowAnyException();

        stored.add(new UsageDelta("acct", DAY.toString(), FREE, 1, 0, 1, 0));
        clock.advance(TTL);

        assertThatThrownBy(() -> quota.check("acct", FREE, DAY)).isInstanceOfSatisfying(DailyQuotaExceededException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.code().code()).isEqualTo("rate_limit_exceeded");
            assertThat(e.param()).isEqualTo("model");
            // 18:30:01 → midnight: 5 h 29 min 59 s
            assertThat(e.headers()).containsEntry("Retry-After", Long.toString(5 * 3600 + 29 * 60 + 59));
            assertThat(e.used()).isEqualTo(1000);
            assertThat(e.getMessage()).contains("the free model test/free", "1000 tokens", "per account per UTC day",
                    "has used 1000 today", "00:00 UTC, in 5 h 30 min", "test/paid, test/paid-2 (prices at GET /v1/models)")
                    .doesNotContain("test/paid-embed", "test/free-unlimited");
        });
    }

    @Test
    void tokensTheBatcherHasNotWrittenCountAndTheCheckWritesNothing() {
        stored.add(new UsageDelta("acct", DAY.toString(), FREE, 1, 500, 0, 0));
        batcher.add(charge("acct", FREE, 300, 199));
        assertThatCode(() -> quota.check("acct", FREE, DAY)).doesNotThrowAnyException();

        batcher.add(charge("acct", FREE, 1, 0));

        assertThatThrownBy(() -> quota.check("acct", FREE, DAY)).isInstanceOf(DailyQuotaExceededException.class);
        assertThat(stored.writes).as("the check never writes").hasValue(1);
        assertThat(quota.used("acct", FREE, DAY)).isEqualTo(1000);
    }

    @Test
    void oneReadPerAccountAndTtlWhateverTheModelOrTheNumberOfChecks() {
        for (int i = 0; i < 100; i++) {
            quota.check("acct", FREE, DAY);
            quota.check("acct", "test/paid-2", DAY);
        }
        assertThat(stored.reads).hasValue(1);

        clock.advance(TTL.minusMillis(1));
        quota.check("acct", FREE, DAY);
        assertThat(stored.reads).hasValue(1);

        clock.advance(Duration.ofMillis(1));
        quota.check("acct", FREE, DAY);
        quota.check("other", FREE, DAY);
        assertThat(stored.reads).hasValue(3);
    }

    @Test
    void aStaleViewIsReadAgainAndSeesNewUsage() {
        quota.check("acct", FREE, DAY);
        stored.add(new UsageDelta("acct", DAY.toString(), FREE, 1, 1000, 0, 0));
        assertThatCode(() -> quota.check("acct", FREE, DAY)).as("within the TTL").doesNotThrowAnyException();

        clock.advance(TTL);

        assertThatThrownBy(() -> quota.check("acct", FREE, DAY)).isInstanceOf(DailyQuotaExceededException.class);
    }

    @Test
    void concurrentFirstChecksOfAnAccountShareOneRead() throws Exception {
        stored.gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<?>> checks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                checks.add(pool.submit(() -> quota.check("acct", FREE, DAY)));
            }
            assertThat(stored.entered.await(10, TimeUnit.SECONDS)).isTrue();
            stored.gate.countDown();
            for (Future<?> check : checks) {
                check.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(stored.reads).hasValue(1);
    }

    @Test
    void aNewUtcDayStartsFromZero() {
        clock.advance(Duration.ofHours(5).plusMinutes(29).plusSeconds(59)); // 23:59:59
        stored.add(new UsageDelta("acct", DAY.toString(), FREE, 1, 1000, 0, 0));
        assertThatThrownBy(() -> quota.check("acct", FREE, DAY))
                .isInstanceOfSatisfying(DailyQuotaExceededException.class, e -> {
                    assertThat(e.headers()).containsEntry("Retry-After", "1");
                    assertThat(e.getMessage()).contains("in 1 s");
                });

        clock.advance(Duration.ofSeconds(2));

        assertThatCode(() -> quota.check("acct", FREE, DAY.plusDays(1))).doesNotThrowAnyException();
        assertThat(stored.reads).as("the new day is read, not yesterday's view reused").hasValue(2);
    }

    @Test
    void modelsWithoutAQuotaAndUnknownModelsCostNoRead() {
        stored.add(new UsageDelta("acct", DAY.toString(), "test/free-unlimited", 1, 1_000_000, 0, 0));
        quota.check("acct", "test/free-unlimited", DAY);
        quota.check("acct", "test/paid", DAY);
        quota.check("acct", "no/such-model", DAY);
        assertThat(stored.reads).hasValue(0);
    }

    @Test
    void aPaidModelWithAQuotaIsLimitedTooAndSaysSo() {
        stored.add(new UsageDelta("acct", DAY.toString(), "test/paid-2", 1, 50_000, 0, 0));
        assertThatThrownBy(() -> quota.check("acct", "test/paid-2", DAY))
                .isInstanceOfSatisfying(DailyQuotaExceededException.class, e -> assertThat(e.getMessage())
                        .startsWith("Daily quota reached for the model test/paid-2: 50000 tokens")
                        .contains("Meanwhile use a paid model, billed per token from your balance: test/paid (prices"));
    }

    @Test
    void whenTheUsageCannotBeReadTheRequestPassesAndTheReadIsRetriedAfterTheTtl() {
        stored.add(new UsageDelta("acct", DAY.toString(), FREE, 1, 5000, 0, 0));
        stored.failure = new IllegalStateException("throttled");

        quota.check("acct", FREE, DAY);
        quota.check("acct", FREE, DAY);
        assertThat(stored.reads).as("one failed read per TTL, not one per request").hasValue(1);

        stored.failure = null;
        clock.advance(TTL);
        assertThatThrownBy(() -> quota.check("acct", FREE, DAY)).isInstanceOf(DailyQuotaExceededException.class);
    }

    @Test
    void otherDaysAndModelsDoNotCount() {
        stored.add(new UsageDelta("acct", DAY.minusDays(1).toString(), FREE, 1, 5000, 0, 0));
        stored.add(new UsageDelta("acct", DAY.toString(), "test/free-unlimited", 1, 5000, 0, 0));
        stored.add(new UsageDelta("other", DAY.toString(), FREE, 1, 5000, 0, 0));
        assertThat(quota.used("acct", FREE, DAY)).isZero();
        assertThatCode(() -> quota.check("acct", FREE, DAY)).doesNotThrowAnyException();
    }

    @Test
    void retryAfterIsReadable() {
        assertThat(DailyQuotaExceededException.readable(40)).isEqualTo("40 s");
        assertThat(DailyQuotaExceededException.readable(61)).isEqualTo("2 min");
        assertThat(DailyQuotaExceededException.readable(3600)).isEqualTo("1 h");
        assertThat(DailyQuotaExceededException.readable(3599)).isEqualTo("1 h");
        assertThat(DailyQuotaExceededException.readable(5 * 3600 + 12 * 60)).isEqualTo("5 h 12 min");
    }

    static Charge charge(String account, String model, long prompt, long completion) {
        return new Charge("req_" + System.nanoTime(), account, "key", model, new TokenUsage(prompt, completion, 0, 0, false),
                Money.ZERO, "ok", 10, Instant.parse("2026-01-10T18:00:00Z"));
    }

    /** Usage rows in memory; counts reads and writes, and can fail or hold its reads. */
    static final class MemoryUsage implements UsageStore {
        final Map<String, UsageRow> rows = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile RuntimeException failure;
        volatile CountDownLatch gate;

        @Override
        public List<UsageRow> usage(String accountId, LocalDate from, LocalDate to) {
            reads.incrementAndGet();
            entered.countDown();
            if (gate != null) {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failure != null) {
                throw failure;
            }
            return rows.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(accountId + "|"))
                    .map(Map.Entry::getValue)
                    .filter(r -> !LocalDate.parse(r.day()).isBefore(from) && !LocalDate.parse(r.day()).isAfter(to))
                    .toList();
        }

        @Override
        public void add(UsageDelta d) {
            writes.incrementAndGet();
            rows.merge(d.accountId() + "|" + d.day() + "|" + d.model(),
                    new UsageRow(d.day(), d.model(), d.requests(), d.promptTokens(), d.completionTokens(),
                            Money.ofMicros(d.costMicros())),
                    (a, b) -> new UsageRow(a.day(), a.model(), a.requests() + b.requests(), a.promptTokens() + b.promptTokens(),
                            a.completionTokens() + b.completionTokens(), a.cost().plus(b.cost())));
        }
    }
}
