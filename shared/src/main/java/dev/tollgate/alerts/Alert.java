package dev.tollgate.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * One alert raised for an account.
 *
 * @param subject what it concerns (the key id for budgets, the window for windows, the top-up for failures), or null
 * @param data    the facts behind it as strings (amounts in dollars), sent in the webhook as they are
 */
public record Alert(String alertId, String accountId, AlertKind kind, Instant at, String subject, String message,
                    Map<String, String> data) {

    public Alert {
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
