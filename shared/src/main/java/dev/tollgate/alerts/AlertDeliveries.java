package dev.tollgate.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.JsonBuffers;
import dev.tollgate.keys.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to the account's webhook URL, signed ({@link AlertSigner}), and retries a delivery that did not get a
 * 2xx: after 30 s, 2 min, 10 min, 1 h and 6 h, then gives up (6 attempts). Every attempt is recorded on the delivery.
 *
 * <p>The first attempt runs at once on the executor; a delivery is stored first with its next attempt 30 s ahead
 * (a lease), so the retry scheduler ({@link #runDue}, every few seconds on the server, each reconciler run on
 * Lambda) only picks it up if that attempt never finished, e.g. the function was frozen.
 */
public final class AlertDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDeliveries.class);
    public static final List<Duration> RETRY_AFTER = List.of(Duration.ofSeconds(30), Duration.ofMinutes(2),
            Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(6));
    public static final int MAX_ATTEMPTS = RETRY_AFTER.size() + 1;

    private final AlertStore store;
    private final WebhookPoster poster;
    private final Executor executor;
    private final Clock clock;
    private final ObjectMapper json = JsonBuffers.mapper();

    public AlertDeliveries(AlertStore store, WebhookPoster poster, Executor executor, Clock clock) {
        this.store = store;
        this.poster = poster;
        this.executor = executor;
        this.clock = clock;
    }

    /** Stores the delivery of {@code alert} to {@code url} and makes its first attempt on the executor. */
    public Delivery enqueue(Alert alert, String url) {
        Instant now = clock.instant();
        Delivery delivery = new Delivery(Ids.newId("dlv"), alert.accountId(), alert.alertId(), alert.kind().wire(), url,
                body(alert), "pending", List.of(), now, now.plus(RETRY_AFTER.getFirst()));
        store.save(delivery);
        executor.execute(() -> attemptQuietly(delivery));
        return delivery;
    }

    /** Attempts every delivery whose retry is due; returns how many were attempted. */
    public int runDue() {
        List<Delivery> due = store.dueDeliveries(clock.instant(), 100);
        due.forEach(this::attemptQuietly);
        return due.size();
    }

    private void attemptQuietly(Delivery delivery) {
        try {
            attempt(delivery);
        } catch (RuntimeException e) {
            LOG.warn("alert delivery {} could not be attempted: {}", delivery.deliveryId(), e.toString());
        }
    }

    /** One POST, signed with the account's secret as it is now (a rotated secret signs the retries). */
    Delivery attempt(Delivery delivery) {
        Instant now = clock.instant();
        String secret = store.settings(delivery.accountId()).map(AlertSettings::secret).orElse(null);
        int status = 0;
        String error = null;
        if (secret == null) {
            error = "no signing secret";
        } else {
            try {
                status = poster.post(delivery.url(), Map.of(AlertSigner.HEADER,
                        AlertSigner.header(secret, now.getEpochSecond(), delivery.body()), "Content-Type",
                        "application/json", "User-Agent", "Tollgate-Alerts/1"), delivery.body());
                error = status / 100 == 2 ? null : "HTTP " + status;
            } catch (java.io.IOException | RuntimeException e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        int made = delivery.attempts().size() + 1;
        Delivery after;
        if (error == null) {
            after = delivery.after(new Delivery.Attempt(now, status, null), "delivered", null);
        } else if (made >= MAX_ATTEMPTS) {
            after = delivery.after(new Delivery.Attempt(now, status, error), "failed", null);
            LOG.warn("alert delivery {} to {} failed {} times; giving up: {}", delivery.deliveryId(), delivery.url(), made, error);
        } else {
            after = delivery.after(new Delivery.Attempt(now, status, error), "pending", now.plus(RETRY_AFTER.get(made - 1)));
        }
        store.save(after);
        return after;
    }

    private String body(Alert alert) {
        ObjectNode body = json.createObjectNode();
        body.put("id", alert.alertId());
        body.put("object", "alert");
        body.put("type", alert.kind().wire());
        body.put("account_id", alert.accountId());
        body.put("created", alert.at().getEpochSecond());
        if (alert.subject() != null) {
            body.put("subject", alert.subject());
        }
        body.put("message", alert.message());
        ObjectNode data = body.putObject("data");
        alert.data().forEach(data::put);
        return body.toString();
    }
}
