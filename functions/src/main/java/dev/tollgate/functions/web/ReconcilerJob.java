package dev.tollgate.functions.web;

import dev.tollgate.billing.HoldReconciler;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/**
 * Releases expired holds periodically in a long-running server (the local server). On AWS the same
 * {@link HoldReconciler} runs as a scheduled function instead, so this is off by default.
 */
@Singleton
@Requires(property = "tollgate.reconciler.enabled", value = "true")
public class ReconcilerJob {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReconcilerJob.class);

    private final HoldReconciler reconciler;
    private final dev.tollgate.operator.OperatorService operator;

    public ReconcilerJob(HoldReconciler reconciler, dev.tollgate.operator.OperatorService operator) {
        this.reconciler = reconciler;
        this.operator = operator;
    }

    @Scheduled(fixedDelay = "${tollgate.reconcile-every:1m}", initialDelay = "${tollgate.reconcile-every:1m}")
    void releaseExpiredHolds() {
        int closed = reconciler.releaseExpired();
        try {
            operator.recordReconcilerRun(closed); // the operator console's health page shows the last run
        } catch (RuntimeException e) {
            LOG.warn("could not record the reconciler run: {}", e.toString());
        }
    }
}
