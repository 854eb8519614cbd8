package dev.tollgate.ledger;

import java.util.List;

/**
 * The values a request log entry's {@code status} takes: how the request ended, which decided what it was charged
 * (the README's stream billing policy). The reconciler records {@code reconciled:<status>}; the log shows the
 * status and a separate {@code reconciled} flag.
 */
public final class RequestStatus {

    /** Prefix of a status written by the reconciler. */
    public static final String RECONCILED_PREFIX = "reconciled:";
    /** The status of the entry that gives back a reversed charge (not a request of its own). */
    public static final String REVERSED = "reversed";

    /** Every status a request can end with, as the {@code status} filter accepts them. */
    public static final List<String> ALL = List.of("ok", "client_disconnect", "upstream_error", "upstream_timeout",
            "max_duration", "output_bound", "shutdown", "hold_expired", "in_progress");

    private RequestStatus() {
    }

    /** {@code reconciled:ok} → {@code ok}. */
    public static String base(String stored) {
        return stored != null && stored.startsWith(RECONCILED_PREFIX) ? stored.substring(RECONCILED_PREFIX.length()) : stored;
    }

    public static boolean reconciled(String stored) {
        return stored != null && stored.startsWith(RECONCILED_PREFIX);
    }
}
