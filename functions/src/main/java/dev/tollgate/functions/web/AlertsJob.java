package dev.tollgate.functions.web;

import dev.tollgate.alerts.AlertDeliveries;
import dev.tollgate.autotopup.AutoTopUps;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/**
 * In a long-running server (the local server): retries alert deliveries whose next attempt is due, and restarts
 * auto top-ups whose start never finished. Whether one is due is decided by the injected Clock against what is
 * stored, so a test calls {@link #run} with a moved clock instead of waiting. On AWS the reconciler function does
 * the same every minute.
 */
@Singleton
@Requires(property = "tollgate.reconciler.enabled", value = "true")
public class AlertsJob {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AlertsJob.class);

    private final AlertDeliveries deliveries;
    private final AutoTopUps autoTopUps;

    public AlertsJob(AlertDeliveries deliveries, AutoTopUps autoTopUps) {
        this.deliveries = deliveries;
        this.autoTopUps = autoTopUps;
    }

    @Scheduled(fixedDelay = "${tollgate.alerts.retry-every:10s}", initialDelay = "${tollgate.alerts.retry-every:10s}")
    public void run() {
        try {
            deliveries.runDue();
            autoTopUps.runDue();
        } catch (RuntimeException e) {
            LOG.warn("alert deliveries or auto top-ups could not be retried: {}", e.toString());
        }
    }
}
