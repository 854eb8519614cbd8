package dev.tollgate.billing;

import java.time.Duration;

/**
 * How a failing write is tried again: how many attempts, and the pause before each retry. Injected, so tests
 * retry without waiting.
 */
public interface Backoff {

    int attempts();

    /** Pauses before attempt {@code attempt + 1}; false when the pause was interrupted and no retry should follow. */
    boolean pause(int attempt);

    /**
     * Settlements: 5 attempts, pauses of 100 ms doubling to 800 ms (1.5 s in all), short enough to finish inside the settle
     * margin a stream keeps before its deadline, long enough to ride out DynamoDB throttling.
     */
    static Backoff settlements() {
        return exponential(5, Duration.ofMillis(100));
    }

    static Backoff exponential(int attempts, Duration first) {
        return new Doubling(attempts, first);
    }

    /** Retries at once: for tests. */
    static Backoff immediate(int attempts) {
        return new Doubling(attempts, Duration.ZERO);
    }

    /** Pauses of {@code first}, doubled before each further retry. */
    record Doubling(int attempts, Duration first) implements Backoff {

        @Override
        public boolean pause(int attempt) {
            if (first.isZero()) {
                return true;
            }
            try {
                Thread.sleep(first.toMillis() << Math.min(attempt, 10));
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
