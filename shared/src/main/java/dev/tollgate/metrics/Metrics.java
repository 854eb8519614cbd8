package dev.tollgate.metrics;

import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import java.time.Instant;

/**
 * The gateway's operational numbers, told as they happen. Names and tags are fixed in docs/METRICS.md; every method
 * has a no-op default so a test or a tool that does not care passes {@link #NONE}. Implementations must be cheap and
 * must never throw: they are called on the request's hot path.
 */
public interface Metrics {

    Metrics NONE = new Metrics() {
    };

    /** {@code tollgate.requests}: one per request, when it settles or is refused. */
    default void request(Endpoint endpoint, String model, Outcome outcome) {
    }

    /** {@code tollgate.tokens} in and out, and {@code tollgate.charged.microusd}, of a settled request. */
    default void usage(String model, TokenUsage usage, Money charged) {
    }

    /** {@code tollgate.upstream.first_byte}: from sending to the upstream's response head. */
    default void upstreamFirstByte(String upstream, long nanos) {
    }

    /** {@code tollgate.upstream.duration}: from sending to the end of the upstream's answer. */
    default void upstreamDuration(String upstream, boolean ok, long nanos) {
    }

    /** {@code tollgate.upstream.errors}: one failed upstream attempt. */
    default void upstreamError(String upstream, UpstreamError kind) {
    }

    /** {@code tollgate.upstream.retries}: one attempt repeated after a retryable failure. */
    default void upstreamRetry(String upstream) {
    }

    /** A hold was taken: {@code tollgate.holds.open} and {@code tollgate.holds.oldest.age} on a long-lived server. */
    default void holdOpened(String holdId, Instant at) {
    }

    /** The hold of a request settled on this instance. */
    default void holdClosed(String holdId) {
    }

    /** {@code tollgate.shortfall.microusd}: cost beyond a request's hold (paid by the balance or owed). */
    default void shortfall(Money beyondHold) {
    }

    /** {@code tollgate.debt.microusd}: what the balance could not pay and the account now owes. */
    default void debt(Money owed) {
    }

    /**
     * {@code tollgate.reconciler.runs} and {@code tollgate.reconciler.released}; {@code overdue} is how many holds the
     * run found past their expiry and {@code oldestAgeSeconds} the age of the oldest of them (0 for none): where no
     * instance lives long enough to count its own holds (Lambda), these are the {@code tollgate.holds.*} gauges.
     */
    default void reconcilerRun(int released, int overdue, long oldestAgeSeconds) {
    }

    /** {@code tollgate.cache.requests}: a lookup answered from this instance's cache, or not. */
    /** An alert was raised ({@code tollgate.alerts}, tag kind: low_balance, budget_80, ...). */
    default void alert(String kind) {
    }

    /** An automatic top-up started, succeeded or failed ({@code tollgate.topups.auto}, tag result). */
    default void autoTopUp(String result) {
    }

    default void cache(Cache cache, boolean hit) {
    }

    /** The {@code cache} tag. */
    enum Cache {
        KEY("key"), ACCOUNT("account");

        private final String tag;

        Cache(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }
}
