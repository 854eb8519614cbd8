package dev.tollgate.keys;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Key management for a management key: create, list, read, change and revoke the keys of its own
 * account. A key of another account is reported as not found, never as forbidden, so ids cannot be probed.
 *
 * <p>Every change drops the key from this instance's authentication cache at once; other instances
 * see it within the cache TTL ({@code tollgate.key-cache-ttl}).
 */
public final class KeyService {

    private final KeyStore keys;
    private final KeyAuthenticator authenticator;
    private final Catalog catalog;
    private final Clock clock;

    public KeyService(KeyStore keys, KeyAuthenticator authenticator, Catalog catalog, Clock clock) {
        this.keys = keys;
        this.authenticator = authenticator;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** A new key and its secret, which is shown this once and never stored. */
    public record Created(ApiKey key, String secret) {
    }

    public Created create(ApiKey caller, KeyRequests.NewKey request) {
        requireManagement(caller);
        validate(request.settings());
        KeySecret secret = KeySecret.generate();
        ApiKey key = request.settings().applyTo(ApiKey.create(Ids.newId("key"), caller.accountId(), secret, null,
                request.role(), clock.instant()));
        keys.create(key);
        return new Created(key, secret.secret());
    }

    /** Every key of the caller's account, revoked ones included, oldest first. */
    public List<ApiKey> list(ApiKey caller) {
        requireManagement(caller);
        return keys.listByAccount(caller.accountId()).stream()
                .sorted(Comparator.comparing(ApiKey::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(ApiKey::keyId))
                .toList();
    }

    public ApiKey get(ApiKey caller, String keyId) {
        requireManagement(caller);
        return own(caller, keyId);
    }

    public ApiKey update(ApiKey caller, String keyId, KeyUpdate update) {
        requireManagement(caller);
        validate(update);
        ApiKey key = own(caller, keyId);
        if (key.revokedAt() != null) {
            throw new ApiException(ErrorCode.CONFLICT, "The key " + keyId + " was revoked at " + key.revokedAt()
                    + " and cannot be changed. Create a new key instead (POST /v1/keys).");
        }
        if (Boolean.TRUE.equals(update.disabled().value())) {
            keepOneManagementKey(key, "disable");
        }
        ApiKey updated = keys.update(key.secretHash(), update).orElseThrow(() -> notFound(keyId));
        authenticator.invalidate(key.secretHash());
        return updated;
    }

    /** Revokes the key for good; revoking a revoked key returns it unchanged. */
    public ApiKey revoke(ApiKey caller, String keyId) {
        requireManagement(caller);
        ApiKey key = own(caller, keyId);
        if (key.revokedAt() != null) {
            return key;
        }
        keepOneManagementKey(key, "revoke");
        ApiKey revoked = keys.revoke(key.secretHash(), clock.instant()).orElseThrow(() -> notFound(keyId));
        authenticator.invalidate(key.secretHash());
        return revoked;
    }

    private static void requireManagement(ApiKey caller) {
        if (caller.role() != KeyRole.MANAGEMENT) {
            throw new ApiException(ErrorCode.PERMISSION_DENIED, "Managing keys needs a management key; this is an "
                    + "inference key. Use the management key returned when the account was opened, or one created "
                    + "with \"role\": \"management\".");
        }
    }

    /** The key, read fresh (the account index is eventually consistent, the key item is read consistently). */
    private ApiKey own(ApiKey caller, String keyId) {
        return keys.findById(caller.accountId(), keyId)
                .flatMap(found -> keys.findByHash(found.secretHash()))
                .filter(found -> found.accountId().equals(caller.accountId()))
                .orElseThrow(() -> notFound(keyId));
    }

    private static ApiException notFound(String keyId) {
        return new ApiException(ErrorCode.NOT_FOUND, "No API key with id '" + keyId + "' in your account. "
                + "GET /v1/keys lists your keys.");
    }

    private void validate(KeyUpdate update) {
        Set<String> models = update.allowedModels().value();
        if (models != null) {
            List<String> unknown = models.stream().filter(m -> catalog.find(m).isEmpty()).sorted().toList();
            if (!unknown.isEmpty()) {
                throw ApiException.invalid("allowed_models", "Unknown model(s) in 'allowed_models': "
                        + String.join(", ", unknown) + ". GET /v1/models lists the model ids.");
            }
        }
        Instant expiresAt = update.expiresAt().value();
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw ApiException.invalid("expires_at", "'expires_at' (" + expiresAt + ") is not in the future. "
                    + "To stop a key now, revoke it (DELETE /v1/keys/{id}) or set \"disabled\": true.");
        }
    }

    /**
     * Refuses to take away the account's last usable management key: without one nobody could manage
     * keys any more. (Two management keys revoked at the same instant can still race past this.)
     */
    private void keepOneManagementKey(ApiKey key, String action) {
        if (key.role() != KeyRole.MANAGEMENT) {
            return;
        }
        Instant now = clock.instant();
        boolean another = keys.listByAccount(key.accountId()).stream()
                .anyMatch(k -> k.role() == KeyRole.MANAGEMENT && !k.keyId().equals(key.keyId()) && k.unusableReason(now) == null);
        if (!another) {
            throw new ApiException(ErrorCode.CONFLICT, "Cannot " + action + " " + key.keyId() + ": it is the account's "
                    + "only usable management key, and without one nobody could manage keys. Create another management "
                    + "key first (POST /v1/keys with \"role\": \"management\").");
        }
    }
}
