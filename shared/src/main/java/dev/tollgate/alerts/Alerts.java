package dev.tollgate.alerts;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.money.Money;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Customer use case: alert settings ({@code GET/PATCH /v1/alerts}), raising an alert (stored, counted for operators,
 * delivered when a URL is set), and listing alerts and deliveries.
 */
public final class Alerts {

    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    public static final int MAX_LISTED = 100;

    private final AlertStore store;
    private final AlertDeliveries deliveries;
    private final AlertEvents events;
    private final Function<String, Money> balances;
    private final Clock clock;
    private final boolean allowLocalHttp;

    /**
     * @param balances       the account's balance now, to arm {@code low_balance} when it is set
     * @param allowLocalHttp accept {@code http://localhost} URLs (the local server); otherwise only https
     */
    public Alerts(AlertStore store, AlertDeliveries deliveries, AlertEvents events, Function<String, Money> balances,
                  Clock clock, boolean allowLocalHttp) {
        this.store = store;
        this.deliveries = deliveries;
        this.events = events;
        this.balances = balances;
        this.clock = clock;
        this.allowLocalHttp = allowLocalHttp;
    }

    public AlertStore store() {
        return store;
    }

    /** Stores the alert, counts it, and sends it to the account's URL if it has one. Never throws. */
    public void raise(String accountId, AlertKind kind, String subject, String message, Map<String, String> data) {
        try {
            Alert alert = new Alert(Ids.newId("alert"), accountId, kind, clock.instant(), subject, message, data);
            store.save(alert);
            events.alert(kind);
            String url = store.settings(accountId).map(AlertSettings::url).orElse(null);
            if (url != null) {
                deliveries.enqueue(alert, url);
            }
        } catch (RuntimeException e) {
            LOG.warn("alert {} for account {} could not be raised: {}", kind.wire(), accountId, e.toString());
        }
    }

    public AlertSettings settings(ApiKey caller) {
        requireManagement(caller);
        return store.settings(caller.accountId()).orElse(AlertSettings.none(caller.accountId()));
    }

    /**
     * Changes what is given (null: unchanged). A URL needs a signing secret: the first URL creates one, and
     * {@code rotateSecret} replaces it; either way the returned settings carry the new secret, shown only then.
     *
     * @param url        the webhook URL, or "" to stop deliveries
     * @param lowBalance the low-balance threshold, or a negative amount to remove it
     * @return the settings, and whether the secret is new (to be shown)
     */
    public Updated update(ApiKey caller, String url, Money lowBalance, boolean rotateSecret) {
        requireManagement(caller);
        String checkedUrl = url == null || url.isEmpty() ? url : checkUrl(url);
        for (int round = 0; round < 10; round++) {
            AlertSettings current = store.settings(caller.accountId()).orElse(AlertSettings.none(caller.accountId()));
            String nextUrl = url == null ? current.url() : checkedUrl.isEmpty() ? null : checkedUrl;
            boolean newSecret = rotateSecret || (nextUrl != null && current.secret() == null);
            String secret = newSecret ? AlertSigner.newSecret() : current.secret();
            Money nextLow = lowBalance == null ? current.lowBalance() : lowBalance.isNegative() ? null : lowBalance;
            boolean armed = lowBalance == null ? current.lowBalanceArmed()
                    : nextLow != null && !balances.apply(caller.accountId()).lessThan(nextLow);
            AlertSettings next = current.with(nextUrl, secret, nextLow, armed, clock.instant());
            if (store.replace(current, next)) {
                return new Updated(new AlertSettings(next.accountId(), next.url(), next.secret(), next.lowBalance(),
                        next.lowBalanceArmed(), current.version() + 1, next.updatedAt()), newSecret);
            }
        }
        throw new ApiException(ErrorCode.CONFLICT, "The alert settings changed concurrently; try again.");
    }

    /** @param secretShown the secret was created or rotated by this change: the one time it is shown */
    public record Updated(AlertSettings settings, boolean secretShown) {
    }

    public List<Alert> alerts(ApiKey caller) {
        requireManagement(caller);
        return store.alerts(caller.accountId(), MAX_LISTED);
    }

    public List<Delivery> deliveries(ApiKey caller) {
        requireManagement(caller);
        return store.deliveries(caller.accountId(), MAX_LISTED);
    }

    private String checkUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("url", "'url' is not a URL: " + e.getMessage());
        }
        String host = uri.getHost();
        boolean local = "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
        if (host == null || uri.getUserInfo() != null || uri.getScheme() == null) {
            throw ApiException.invalid("url", "'url' must be an absolute https URL without credentials, e.g. "
                    + "\"https://example.com/tollgate-alerts\".");
        }
        if ("https".equalsIgnoreCase(uri.getScheme()) || ("http".equalsIgnoreCase(uri.getScheme()) && local && allowLocalHttp)) {
            return uri.toString();
        }
        throw ApiException.invalid("url", "'url' must use https" + (allowLocalHttp ? " (or http on localhost)" : "")
                + ", not " + uri.getScheme() + "://" + host + ".");
    }

    static void requireManagement(ApiKey caller) {
        if (caller.role() != KeyRole.MANAGEMENT) {
            throw new ApiException(ErrorCode.PERMISSION_DENIED, "Alerts and auto top-up need a management key; this is "
                    + "an inference key.");
        }
    }

    Instant now() {
        return clock.instant();
    }
}
