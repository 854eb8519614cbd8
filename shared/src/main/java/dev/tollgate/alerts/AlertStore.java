package dev.tollgate.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: alert settings, alerts, deliveries and the once-per-crossing marks, per account. */
public interface AlertStore {

    Optional<AlertSettings> settings(String accountId);

    /** Writes {@code next} only if the stored version is still {@code expected.version()}; false otherwise. */
    boolean replace(AlertSettings expected, AlertSettings next);

    /**
     * Records that {@code mark} (e.g. {@code budget_80:<keyId>:<budget>}) happened, once: false when it was
     * recorded before, so concurrent settlements raise one alert between them.
     */
    boolean markOnce(String accountId, String mark, Instant at);

    /** Forgets {@code mark}, so the next crossing raises it again. */
    void unmark(String accountId, String mark);

    void save(Alert alert);

    /** Newest first. */
    List<Alert> alerts(String accountId, int limit);

    /** Creates or overwrites the delivery (its attempts only ever grow; one process works on it at a time). */
    void save(Delivery delivery);

    /** Newest first. */
    List<Delivery> deliveries(String accountId, int limit);

    /** Pending deliveries whose next attempt is due at {@code now}, oldest first. */
    List<Delivery> dueDeliveries(Instant now, int limit);
}
