package dev.tollgate.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How long a console session lives: {@code idle} after its last refresh, and never past {@code absolute} after
 * sign-in. A cookie is refreshed (re-signed with a new last-seen time) at most once a minute, so a page that is
 * used stays signed in while the cookie does not change on every request.
 */
public record SessionRules(Duration idle, Duration absolute, Clock clock) {

    static final Duration REFRESH_EVERY = Duration.ofMinutes(1);

    public SessionRules {
        if (idle.isNegative() || idle.isZero() || absolute.compareTo(idle) < 0) {
            throw new IllegalArgumentException("console session timeouts need 0 < idle <= absolute, got " + idle
                    + " and " + absolute);
        }
    }

    public boolean live(ConsoleSession session) {
        Instant now = clock.instant();
        return !now.isBefore(session.issuedAt().minusSeconds(60)) // a cookie from the future is forged or misdated
                && now.isBefore(session.issuedAt().plus(absolute))
                && now.isBefore(session.lastSeen().plus(idle));
    }

    /** The session with a new last-seen time if it is due a refresh, else {@code null}. */
    public ConsoleSession refreshed(ConsoleSession session) {
        Instant now = clock.instant();
        return now.isBefore(session.lastSeen().plus(REFRESH_EVERY)) ? null : session.seenAt(now);
    }

    /** How long the browser should keep the cookie: until the absolute expiry. */
    public Duration cookieLifetime(ConsoleSession session) {
        Duration left = Duration.between(clock.instant(), session.issuedAt().plus(absolute));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
