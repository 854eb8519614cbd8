package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The token bucket's arithmetic, on a clock the test moves. (Lives in functions: shared's tests are owned elsewhere.) */
class RateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final RateLimiter limiter = new RateLimiter(clock, 1000);

    @Test
    void aFullBucketAllowsTheLimitThenRefusesWithTheTimeToTheNextRequest() {
        for (int remaining = 2; remaining >= 0; remaining--) {
            RateLimiter.Decision d = limiter.acquire("k", 3);
            assertThat(d.allowed()).isTrue();
            assertThat(d.remaining()).isEqualTo(remaining);
            assertThat(d.limit()).isEqualTo(3);
        }
        RateLimiter.Decision refused = limiter.acquire("k", 3);

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(refused.reset()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aRequestIsRegainedEverySixtySecondsOverTheLimit() {
        IntStream.range(0, 3).forEach(i -> limiter.acquire("k", 3));

        clock.advance(Duration.ofSeconds(19));
        assertThat(limiter.acquire("k", 3).allowed()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        RateLimiter.Decision again = limiter.acquire("k", 3);
        assertThat(again.allowed()).isTrue();
        assertThat(again.remaining()).isZero();
        assertThat(limiter.acquire("k", 3).allowed()).isFalse();
    }

    @Test
    void refusedRequestsDoNotPushTheNextSlotFurther() {
        IntStream.range(0, 3).forEach(i -> limiter.acquire("k", 3));
        IntStream.range(0, 100).forEach(i -> limiter.acquire("k", 3)); // a client hammering while limited

        clock.advance(Duration.ofSeconds(20));

        assertThat(limiter.acquire("k", 3).allowed()).isTrue();
    }

    @Test
    void noTwoWindowsWorthAtAWindowBoundary() {
        AtomicInteger allowed = new AtomicInteger();
        // A fixed window would let 60 through at 11:59:59.9 and 60 more at 12:00:00.0.
        for (int ms = 0; ms < 60_000; ms += 100) {
            if (limiter.acquire("k", 60).allowed()) {
                allowed.incrementAndGet();
            }
            clock.advance(Duration.ofMillis(100));
        }
        assertThat(allowed.get()).isEqualTo(60 + 59); // the burst of 60, then one per second
    }

    @Test
    void keysHaveSeparateBucketsAndAnIdleKeyIsFullAgain() {
        assertThat(limiter.acquire("a", 1).allowed()).isTrue();
        assertThat(limiter.acquire("a", 1).allowed()).isFalse();
        assertThat(limiter.acquire("b", 1).allowed()).isTrue();

        clock.advance(Duration.ofMinutes(5));

        RateLimiter.Decision full = limiter.acquire("a", 1);
        assertThat(full.allowed()).isTrue();
        assertThat(full.reset()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void fullBucketsAreForgottenWhenTooManyKeysAreTracked() {
        RateLimiter small = new RateLimiter(clock, 10);
        IntStream.range(0, 10).forEach(i -> small.acquire("key" + i, 60));
        clock.advance(Duration.ofMinutes(2));

        small.acquire("one-more", 60);

        assertThat(small.trackedKeys()).isEqualTo(1);
    }

    @Test
    void aLimitBelowOneIsAProgrammingError() {
        assertThatThrownBy(() -> limiter.acquire("k", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
