package dev.tollgate.billing;

import java.time.Clock;
import dev.tollgate.metrics.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes holds whose request never settled (the process died, the function timed out, the settlement kept
 * failing). Runs on a schedule: every minute on AWS, periodically in the local server. A hold whose request
 * recorded what it delivered is <b>charged</b> for that and the rest released; a hold with no record is released
 * in full (nothing reached the caller). A reconciliation and a late settlement race safely: whichever closes the
 * hold first wins, the other changes nothing.
 */
public final class HoldReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(HoldReconciler.class);

    private final BalanceStore store;
    private final Clock clock;
    private final int batchSize;
    private final Metrics metrics;

    public HoldReconciler(BalanceStore store, Clock clock, int batchSize) {
        this(store, clock, batchSize, Metrics.NONE);
    }

    /** @param metrics told of each run: holds closed, holds found overdue and the oldest's age, debt it created */
    public HoldReconciler(BalanceStore store, Clock clock, int batchSize, Metrics metrics) {
        this.store = store;
        this.clock = clock;
        this.batchSize = batchSize;
        this.metrics = metrics;
    }

    /** Closes expired holds until none are left; returns how many this run closed (charged or released). */
    public int releaseExpired() {
        Instant started = clock.instant();
        Set<String> overdue = new HashSet<>();
        Instant oldest = started;
        int closed = 0;
        while (true) {
            var expired = store.expiredHolds(clock.instant(), batchSize);
            int before = closed;
            for (Hold hold : expired) {
                if (overdue.add(hold.holdId()) && hold.createdAt().isBefore(oldest)) {
                    oldest = hold.createdAt();
                }
                try {
                    if (close(hold)) {
                        closed++;
                    }
                } catch (RuntimeException e) {
                    // One hold that cannot be closed now must not stop the others (it is the oldest, so first).
                    LOG.error("could not close expired hold {} on account {}; the next run tries again", hold.holdId(),
                            hold.accountId(), e);
                }
            }
            if (expired.size() < batchSize || closed == before) {
                metrics.reconcilerRun(closed, overdue.size(), Duration.between(oldest, started).toSeconds());
                return closed;
            }
        }
    }

    private boolean close(Hold hold) {
        Optional<Charge> recorded = store.recordedCharge(hold);
        if (recorded.isEmpty()) {
            boolean released = store.release(hold, clock.instant());
            if (released) {
                LOG.info("released expired hold {} of {} on account {}", hold.holdId(), hold.amount(), hold.accountId());
            }
            return released;
        }
        Charge seen = recorded.get();
        Charge charge = new Charge(seen.requestId(), seen.accountId(), seen.keyId(), seen.model(), seen.usage(),
                seen.cost(), "reconciled:" + seen.status(),
                Math.max(seen.latencyMs(), Duration.between(hold.createdAt(), clock.instant()).toMillis()), clock.instant(),
                seen.keyName(), seen.streamed());
        Settlement settlement = store.settle(hold, charge);
        if (!settlement.alreadySettled()) {
            if (charge.cost().minus(hold.amount()).isPositive()) {
                metrics.shortfall(charge.cost().minus(hold.amount()));
            }
            if (settlement.shortfall().isPositive()) {
                metrics.debt(settlement.shortfall());
            }
            LOG.warn("charged expired hold {} on account {} for what its request recorded as delivered: {} of {} held"
                    + (settlement.shortfall().isPositive() ? ", {} of it owed" : ""), hold.holdId(), hold.accountId(),
                    settlement.charged(), hold.amount(), settlement.shortfall());
        }
        return !settlement.alreadySettled();
    }
}
