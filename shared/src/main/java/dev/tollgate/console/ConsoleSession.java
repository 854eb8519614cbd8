package dev.tollgate.console;

import java.time.Instant;
import java.util.Objects;

/**
 * What a console session cookie says, signed by {@link SessionCodec}. It names a key, never holds one: every
 * request looks the key up again ({@link ConsoleSignIn#resume}), so a revoked key ends its sessions.
 *
 * @param accountId the customer's account; {@code null} for an operator
 * @param subject   the customer's management key id, or for an operator a fingerprint of the admin token in force
 *                  at sign-in (a rotated token ends operator sessions)
 * @param sessionId random, per sign-in: the CSRF token is derived from it
 * @param issuedAt  sign-in time: the absolute expiry counts from it
 * @param lastSeen  the last request that refreshed the cookie: the idle expiry counts from it
 */
public record ConsoleSession(Kind kind, String accountId, String subject, String sessionId, Instant issuedAt,
                             Instant lastSeen) {

    /** A customer signed in with a management key, or an operator with the admin token. */
    public enum Kind { CUSTOMER, OPERATOR }

    public ConsoleSession {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }

    public ConsoleSession seenAt(Instant now) {
        return new ConsoleSession(kind, accountId, subject, sessionId, issuedAt, now);
    }
}
