package dev.tollgate.windows;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: the state of spend windows and which plan each account is on. Holds move windows through the balance store. */
public interface WindowStore {

    /** The current period of each window at {@code now}, in the same order. Reads only. */
    List<WindowUsage> read(List<SpendWindow> windows, Instant now);

    /** The plan assigned to the account, if any. */
    Optional<String> planOf(String accountId);

    /**
     * Assigns a plan ({@code null} clears it), whatever was assigned before.
     *
     * @return false if the account does not exist
     */
    boolean assignPlan(String accountId, String plan);
}
