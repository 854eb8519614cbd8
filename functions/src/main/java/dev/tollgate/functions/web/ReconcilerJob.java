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

    private final HoldReconciler reconciler;

    public ReconcilerJob(HoldReconciler reconciler) {
        this.reconciler = reconciler;
    }

    @Scheduled(fixedDelay = "${tollgate.reconcile-every:1m}", initialDelay = "${tollgate.reconcile-every:1m}")
    void releaseExpiredHolds() {
        reconciler.releaseExpired();
    }
}
