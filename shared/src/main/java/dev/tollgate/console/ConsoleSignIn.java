package dev.tollgate.console;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.keys.KeyAuthenticator;
import dev.tollgate.keys.KeyRole;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Customer sign-in to the console: a management key is exchanged for a session that names the key, and every
 * later request looks the key up again through the API's own {@link KeyAuthenticator} (same cache, same TTL), so
 * revoking, disabling or expiring the key ends its sessions within {@code tollgate.key-cache-ttl}.
 */
public final class ConsoleSignIn {

    private final KeyAuthenticator keys;
    private final SessionRules rules;
    private final Clock clock;

    public ConsoleSignIn(KeyAuthenticator keys, SessionRules rules, Clock clock) {
        this.keys = keys;
        this.rules = rules;
        this.clock = clock;
    }

    /** A signed-in customer: the session (refreshed if due, else as presented) and the key as looked up now. */
    public record Customer(ConsoleSession session, ApiKey key, boolean refreshed) {
    }

    /** A new session for a management key's secret; a 401/403 {@link ApiException} says why not. */
    public ConsoleSession signIn(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new ApiException(ErrorCode.INVALID_API_KEY, "Paste a management key (sk-tg-...) to sign in.");
        }
        ApiKey key = keys.authenticate("Bearer " + secret.strip());
        requireManagement(key);
        Instant now = clock.instant();
        return new ConsoleSession(ConsoleSession.Kind.CUSTOMER, key.accountId(), key.keyId(), Ids.newId("ses"), now, now);
    }

    /** An operator's new session; {@code fingerprint} identifies the admin token that was checked. */
    public ConsoleSession signInOperator(String fingerprint) {
        Instant now = clock.instant();
        return new ConsoleSession(ConsoleSession.Kind.OPERATOR, null, fingerprint, Ids.newId("ses"), now, now);
    }

    /** The customer behind a decoded session, if it is live and its key still usable as a management key. */
    public Optional<Customer> resume(ConsoleSession session) {
        if (session.kind() != ConsoleSession.Kind.CUSTOMER || session.accountId() == null || !rules.live(session)) {
            return Optional.empty();
        }
        try {
            ApiKey key = keys.authenticateById(session.accountId(), session.subject());
            requireManagement(key);
            ConsoleSession refreshed = rules.refreshed(session);
            return Optional.of(new Customer(refreshed == null ? session : refreshed, key, refreshed != null));
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    private static void requireManagement(ApiKey key) {
        if (key.role() != KeyRole.MANAGEMENT) {
            throw new ApiException(ErrorCode.PERMISSION_DENIED, "This is an inference key: it can call the models but "
                    + "cannot manage the account. Sign in with a management key (the one returned when the account was "
                    + "opened, or one created with the role \"management\").");
        }
    }
}
