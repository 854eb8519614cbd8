package dev.tollgate.billing;

import dev.tollgate.keys.ApiKey;
import dev.tollgate.windows.SpendWindow;
import java.time.Instant;
import java.util.List;

/**
 * A request admitted for billing: with a {@link Hold} for paid models, without one for free models.
 *
 * @param streamed whether the caller asked for a stream (recorded in the request log)
 * @param windows  the spend windows the request counts in (for the credit headers)
 * @param freeRate for a free request of a key with per-minute limits, the minute item it was counted in and the
 *                 tokens counted there; {@link HoldCounters#NONE} otherwise (a paid request's are on its hold)
 */
public record Reservation(String requestId, ApiKey key, Hold hold, Instant startedAt, boolean streamed,
                          List<SpendWindow> windows, HoldCounters freeRate) {

    public Reservation {
        windows = windows == null ? List.of() : List.copyOf(windows);
        freeRate = freeRate == null ? HoldCounters.NONE : freeRate;
    }

    public Reservation(String requestId, ApiKey key, Hold hold, Instant startedAt, boolean streamed) {
        this(requestId, key, hold, startedAt, streamed, List.of(), HoldCounters.NONE);
    }

    public Reservation(String requestId, ApiKey key, Hold hold, Instant startedAt) {
        this(requestId, key, hold, startedAt, false);
    }

    public boolean held() {
        return hold != null;
    }
}
