package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DeadlineWatch} on its own, with watched things that record their close: it closes what is past its deadline
 * and nothing else, a watch made while its thread sleeps wakes it, and one watched thing that fails to close (even
 * with an {@link Error}) does not end the watch of the others.
 */
@Timeout(30)
class DeadlineWatchTest {

    private static final long WAIT_SECONDS = 10;

    /** Due at {@code due} ({@link System#nanoTime()}); counts how often it was asked and whether it was closed. */
    private static final class Due implements DeadlineWatch.Watched {
        private final long due;
        private final RuntimeException failure;
        private final Error error;
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicInteger asked = new AtomicInteger();

        Due(long due, RuntimeException failure, Error error) {
            this.due = due;
            this.failure = failure;
            this.error = error;
        }

        static Due at(long due) {
            return new Due(due, null, null);
        }

        @Override
        public boolean closeIfPastDeadline(long now) {
            asked.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            if (error != null) {
                throw error;
            }
            if (now - due < 0) {
                return false;
            }
            closed.countDown();
            return true;
        }
    }

    @Test
    void closesWhatIsPastItsDeadlineAndLeavesTheRestAlone() throws Exception {
        DeadlineWatch watch = new DeadlineWatch(Duration.ofMillis(1), Duration.ofSeconds(1));
        Due past = Due.at(System.nanoTime());
        Due future = Due.at(System.nanoTime() + TimeUnit.HOURS.toNanos(1));

        watch.watch(future);
        watch.watch(past);

        assertThat(past.closed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        long askedBefore = future.asked.get();
        awaitAsked(future, askedBefore + 2);   // looked at again since, and still open
        assertThat(future.closed.getCount()).isEqualTo(1);
        assertThat(watch.watching()).isEqualTo(1);
        watch.unwatch(future);
        assertThat(watch.watching()).isZero();
    }

    @Test
    void aWatchMadeWhileTheThreadSleepsWakesIt() throws Exception {
        DeadlineWatch watch = new DeadlineWatch(Duration.ofMillis(1), Duration.ZERO);
        Due first = Due.at(System.nanoTime());
        watch.watch(first);
        assertThat(first.closed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        // With no linger, the thread parks for good once the set is empty: wait until it has.
        awaitSleeping(watch);

        Due second = Due.at(System.nanoTime());
        watch.watch(second);

        assertThat(second.closed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void oneThatFailsToCloseDoesNotEndTheWatchOfTheOthers() throws Exception {
        DeadlineWatch watch = new DeadlineWatch(Duration.ofMillis(1), Duration.ofSeconds(1));
        Due failing = new Due(System.nanoTime(), new IllegalStateException("close failed"), null);
        Due erring = new Due(System.nanoTime(), null, new AssertionError("worse"));
        Due healthy = Due.at(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20));

        watch.watch(failing);
        watch.watch(erring);
        watch.watch(healthy);

        assertThat(healthy.closed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(failing.asked.get()).isPositive();
        assertThat(erring.asked.get()).isPositive();
        assertThat(watch.watching()).as("the failed ones left the watch").isZero();
    }

    private static void awaitAsked(Due due, long atLeast) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (due.asked.get() < atLeast) {
            assertThat(System.nanoTime() - until).as("asked %d times", due.asked.get()).isNegative();
            Thread.onSpinWait();
        }
    }

    private static void awaitSleeping(DeadlineWatch watch) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!watch.sleeping()) {
            assertThat(System.nanoTime() - until).as("the watch thread never went to sleep").isNegative();
            Thread.onSpinWait();
        }
    }
}
