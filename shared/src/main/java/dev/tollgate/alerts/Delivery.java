package dev.tollgate.alerts;

import java.time.Instant;
import java.util.List;

/**
 * The delivery of one alert to the account's webhook URL, with every attempt.
 *
 * @param state  pending (an attempt is due at {@code nextAt}), delivered, or failed (attempts exhausted)
 * @param body   the exact JSON sent, signed anew at each attempt
 */
public record Delivery(String deliveryId, String accountId, String alertId, String kind, String url, String body,
                       String state, List<Attempt> attempts, Instant createdAt, Instant nextAt) {

    public Delivery {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** One POST: the HTTP status (0 when no answer came) and what went wrong, if anything. */
    public record Attempt(Instant at, int status, String error) {
    }

    public Delivery after(Attempt attempt, String state, Instant nextAt) {
        List<Attempt> all = new java.util.ArrayList<>(attempts);
        all.add(attempt);
        return new Delivery(deliveryId, accountId, alertId, kind, url, body, state, all, createdAt, nextAt);
    }
}
