package dev.tollgate.billing;

import dev.tollgate.keys.ApiKey;
import java.time.Instant;

/**
 * A request admitted for billing: with a {@link Hold} for paid models, without one for free models.
 *
 * @param streamed whether the caller asked for a stream (recorded in the request log)
 */
public record Reservation(String requestId, ApiKey key, Hold hold, Instant startedAt, boolean streamed) {

    public Reservation(String requestId, ApiKey key, Hold hold, Instant startedAt) {
        this(requestId, key, hold, startedAt, false);
    }

    public boolean held() {
        return hold != null;
    }
}
