package dev.tollgate.billing;

import dev.tollgate.keys.ApiKey;
import java.time.Instant;

/**
 * A request admitted for billing: with a {@link Hold} for paid models, without one for free models.
 */
public record Reservation(String requestId, ApiKey key, Hold hold, Instant startedAt) {

    public boolean held() {
        return hold != null;
    }
}
