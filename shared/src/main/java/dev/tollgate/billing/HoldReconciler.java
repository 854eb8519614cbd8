package dev.tollgate.billing;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases holds whose request never settled (the process died, the function timed out). Runs on a
 * schedule: every minute on AWS, periodically in the local server. A release and a late settlement
 * race safely: whichever closes the hold first wins, the other changes nothing.
 */
public final class HoldReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(HoldReconciler.class);

    private final BalanceStore store;
    private final Clock clock;
    private final int batchSize;

    public HoldReconciler(BalanceStore store, Clock clock, int batchSize) {
        this.store = store;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** Releases expired holds until none are left; returns how many this run released. */
    public int releaseExpired() {
        int released = 0;
        while (true) {
            var expired = store.expiredHolds(clock.instant(), batchSize);
            int before = released;
            for (Hold hold : expired) {
                if (store.release(hold, clock.instant())) {
                    released++;
                    LOG.info("released expired hold {} of {} on account {}", hold.holdId(), hold.amount(), hold.accountId());
                }
            }
            if (expired.size() < batchSize || released == before) {
                return released;
            }
        }
    }
}
