package dev.tollgate.billing;

import java.time.LocalDate;
import java.util.List;

/** Port: per-day, per-model usage counters, bumped in the same write as each settlement. */
public interface UsageStore {

    /** Rows for days {@code from} to {@code to}, both included. */
    List<UsageRow> usage(String accountId, LocalDate from, LocalDate to);

    /** Adds counters to a usage row (one unconditional atomic ADD; counters only, never money). */
    void add(UsageDelta delta);
}
