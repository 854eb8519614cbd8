package dev.tollgate.autotopup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: each account's auto top-up, written only with optimistic locking so concurrent deciders cannot both win. */
public interface AutoTopUpStore {

    /** Read consistently. */
    Optional<AutoTopUp> find(String accountId);

    /**
     * Writes {@code next} with version {@code expected.version() + 1}, only if the stored version is still
     * {@code expected.version()} (0: nothing stored yet).
     *
     * @return false when another write came first: nothing changed
     */
    boolean replace(AutoTopUp expected, AutoTopUp next);

    /** Accounts with a claimed crossing not started by {@code now} (a function frozen or stopped before it could). */
    List<String> due(Instant now, int limit);
}
