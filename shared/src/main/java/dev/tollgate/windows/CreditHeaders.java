package dev.tollgate.windows;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The credit headers of a response, one triple per window that applies, in µ$:
 * {@code X-RateLimit-Daily-Limit-Credits}, {@code X-RateLimit-Daily-Remaining-Credits},
 * {@code X-RateLimit-Daily-Reset} (ISO-8601 UTC, whole seconds, rounded up so it is never early).
 */
public final class CreditHeaders {

    private CreditHeaders() {
    }

    public static Map<String, String> of(List<WindowUsage> windows) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (WindowUsage usage : windows) {
            String prefix = "X-RateLimit-" + usage.window().window().header() + "-";
            headers.put(prefix + "Limit-Credits", Long.toString(usage.limit().micros()));
            headers.put(prefix + "Remaining-Credits", Long.toString(usage.remaining().micros()));
            headers.put(prefix + "Reset", reset(usage.reset()));
        }
        return headers;
    }

    /** An instant rounded up to the second, e.g. {@code 2026-04-03T10:00:00Z}. */
    public static String reset(Instant at) {
        Instant whole = at.truncatedTo(ChronoUnit.SECONDS);
        return (whole.equals(at) ? whole : whole.plusSeconds(1)).toString();
    }
}
