package dev.tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testkit.MutableClock;
import dev.tollgate.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The per-instance view of an account that free requests use: loaded once, served until the TTL, then
 * reloaded by one caller at a time, or in the background when a refresher is given (so no free request
 * waits for DynamoDB once its account is known).
 */
class BalanceCacheTest {

    private static final Duration TTL = Duration.ofSeconds(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-10T12:00:00Z"));
    private final AtomicReference<Money> stored = new AtomicReference<>(Money.ofMicros(5_000_000));
    private final AtomicInteger reads = new AtomicInteger();
    private final Function<String, Money> load = account -> {
        reads.incrementAndGet();
        return stored.get();
    };

    @Test
    void withinTheTtlTheCachedAmountIsServedWithoutARead() {
        BalanceCache<Money> cache = new BalanceCache<>(clock, TTL);
        assertThat(cache.get("acct", load)).isEqualTo(Money.ofMicros(5_000_000));
        stored.set(Money.ofMicros(1));
        clock.advance(TTL.minusMillis(1));
        assertThat(cache.get("acct", load)).isEqualTo(Money.ofMicros(5_000_000));
        assertThat(reads).hasValue(1);
    }

    @Test
    void withoutARefresherTheCallerThatFindsItStaleReloadsIt() {
        BalanceCache<Money> cache = new BalanceCache<>(clock, TTL);
        cache.get("acct", load);
        stored.set(Money.ofMicros(7));
        clock.advance(TTL);
        assertThat(cache.get("acct", load)).isEqualTo(Money.ofMicros(7));
        assertThat(reads).hasValue(2);
    }

    @Test
    void whileOneCallerReloadsTheOthersKeepTheStaleAmount() {
        BalanceCache<Money> cache = new BalanceCache<>(clock, TTL);
        cache.get("acct", load);
        clock.advance(TTL);
        AtomicReference<Money> seenDuringReload = new AtomicReference<>();
        Money reloaded = cache.get("acct", account -> {
            // Another request arrives while this one is reading DynamoDB.
            seenDuringReload.set(cache.get("acct", load));
            return Money.ofMicros(9);
        });
        assertThat(reloaded).isEqualTo(Money.ofMicros(9));
        assertThat(seenDuringReload.get()).isEqualTo(Money.ofMicros(5_000_000));
        assertThat(reads).as("the waiting request did not read too").hasValue(1);
    }

    @Test
    void withARefresherAStaleEntryIsServedAtOnceAndReloadedInTheBackgroundOnce() {
        Queue<Runnable> background = new ArrayDeque<>();
        BalanceCache<Money> cache = new BalanceCache<>(clock, TTL, background::add);
        assertThat(cache.get("acct", load)).as("an unknown account is read in the request").isEqualTo(Money.ofMicros(5_000_000));
        assertThat(background).isEmpty();

        stored.set(Money.ofMicros(3));
        clock.advance(TTL);
        assertThat(cache.get("acct", load)).as("stale, served without waiting").isEqualTo(Money.ofMicros(5_000_000));
        assertThat(cache.get("acct", load)).isEqualTo(Money.ofMicros(5_000_000));
        assertThat(background).as("one reload queued, not one per request").hasSize(1);
        assertThat(reads).hasValue(1);

        background.poll().run();
        assertThat(cache.get("acct", load)).isEqualTo(Money.ofMicros(3));
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedBackgroundReloadKeepsTheStaleAmountAndTheNextRequestTriesAgain() {
        Queue<Runnable> background = new ArrayDeque<>();
        BalanceCache<Money> cache = new BalanceCache<>(clock, TTL, background::add);
        cache.get("acct", load);
        clock.advance(TTL);
        cache.get("acct", account -> {
            throw new IllegalStateException("DynamoDB unavailable");
        });
        background.poll().run();

        assertThat(cache.get("acct", load)).isEqualTo(Money.ofMicros(5_000_000));
        assertThat(background).as("a new reload was queued").hasSize(1);
        background.poll().run();
        assertThat(reads).hasValue(2);
    }

    @Test
    void anUpdateChangesAKnownValueButNotItsAgeAndSkipsAnUnknownAccount() {
        BalanceCache<Money> cache = new BalanceCache<>(clock, TTL);
        cache.get("acct", load);
        clock.advance(TTL.minusMillis(1));
        cache.update("acct", old -> old.plus(Money.ofMicros(1)));
        cache.update("other", old -> Money.ofMicros(99));

        assertThat(cache.get("acct", load)).isEqualTo(Money.ofMicros(5_000_001));
        clock.advance(Duration.ofMillis(1));
        stored.set(Money.ofMicros(8));
        assertThat(cache.get("acct", load)).as("as old as its last read: stale now").isEqualTo(Money.ofMicros(8));
        assertThat(cache.get("other", load)).isEqualTo(Money.ofMicros(8));
        assertThat(reads).hasValue(3);
    }
}
