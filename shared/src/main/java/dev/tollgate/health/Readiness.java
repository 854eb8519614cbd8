package dev.tollgate.health;

import dev.tollgate.upstream.UpstreamHealth;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance can take requests: its store must answer (every paid request moves money there, and keys
 * are read there). Upstreams are reported as last known but do not decide: one model's server being down leaves
 * every other model, the key and the billing APIs working, and a load balancer that took the instance out for it
 * would take them all out.
 */
public final class Readiness {

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

    /** @param storeDetail why the store is not ready, in a few words; null when it is */
    public record Report(boolean ready, String storeDetail, List<UpstreamHealth.Status> upstreams) {
    }

    private final StoreProbe store;
    private final UpstreamHealth upstreams;

    public Readiness(StoreProbe store, UpstreamHealth upstreams) {
        this.store = store;
        this.upstreams = upstreams;
    }

    public Report check() {
        String detail = null;
        try {
            store.ping();
        } catch (RuntimeException e) {
            // The reason goes to the log only: /ready answers without authentication.
            LOG.warn("not ready: the store did not answer: {}", e.toString());
            detail = "DynamoDB did not answer";
        }
        return new Report(detail == null, detail, upstreams.statuses());
    }
}
