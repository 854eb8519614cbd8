package dev.tollgate.keys;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an {@code Authorization: Bearer sk-tg-...} header into the caller's key, or a 401.
 *
 * <p>Lookups are cached per instance for {@code ttl}, so a revoked or changed key takes effect on
 * every instance within that time (the instance that revoked it drops it at once). Unknown keys are
 * not cached: each distinct guess costs one read, and the shape check rejects most noise for free.
 */
public final class KeyAuthenticator {

    private final KeyStore store;
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final Metrics metrics;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** The console's lookups, by key id (its session cookie names the key, never the secret). */
    private final Map<String, Cached> byId = new ConcurrentHashMap<>();

    private record Cached(ApiKey key, Instant until) {
    }

    public KeyAuthenticator(KeyStore store, Clock clock, Duration ttl, int maxEntries) {
        this(store, clock, ttl, maxEntries, Metrics.NONE);
    }

    /** @param metrics told whether each lookup by secret was answered from the cache ({@code cache="key"}) */
    public KeyAuthenticator(KeyStore store, Clock clock, Duration ttl, int maxEntries, Metrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
    }

    public Duration cacheTtl() {
        return ttl;
    }

    public ApiKey authenticate(String authorization) {
        String secret = bearer(authorization);
        String hash = KeySecret.hash(secret);
        Instant now = clock.instant();
        Cached cached = cache.get(hash);
        boolean hit = cached != null && now.isBefore(cached.until());
        metrics.cache(Metrics.Cache.KEY, hit);
        ApiKey key = hit ? cached.key() : lookUp(secret, hash, now);
        return usable(key, now);
    }

    /**
     * What can be decided without reading the store: the key if this instance has it cached, {@code null}
     * if a read is needed ({@link #authenticate} then does it). Throws the same 401s as {@code authenticate}
     * for a missing or malformed header and for a cached key that is unusable. Never blocks.
     */
    public ApiKey authenticateCached(String authorization) {
        String hash = KeySecret.hash(bearer(authorization));
        Instant now = clock.instant();
        Cached cached = cache.get(hash);
        if (cached == null || !now.isBefore(cached.until())) {
            return null; // authenticate() reads it, and counts the miss
        }
        metrics.cache(Metrics.Cache.KEY, true);
        return usable(cached.key(), now);
    }

    /**
     * The key {@code keyId} of {@code accountId} if it is usable now, else a 401: the console's check on every
     * request, cached like {@link #authenticate} for the same TTL, so a revoked key ends console sessions within it.
     */
    public ApiKey authenticateById(String accountId, String keyId) {
        Instant now = clock.instant();
        Cached cached = byId.get(keyId);
        ApiKey key;
        if (cached != null && now.isBefore(cached.until()) && cached.key().accountId().equals(accountId)) {
            key = cached.key();
        } else {
            // The account index is eventually consistent; the key item, read by its hash, is read consistently.
            key = store.findById(accountId, keyId).flatMap(found -> store.findByHash(found.secretHash()))
                    .filter(found -> found.accountId().equals(accountId))
                    .orElseThrow(() -> unauthorized("This key no longer exists. Sign in again."));
            if (byId.size() >= maxEntries) {
                byId.clear();
            }
            byId.put(keyId, new Cached(key, now.plus(ttl)));
        }
        return usable(key, now);
    }

    private ApiKey lookUp(String secret, String hash, Instant now) {
        Optional<ApiKey> found = store.findByHash(hash);
        if (found.isEmpty()) {
            cache.remove(hash);
            throw unauthorized("Incorrect API key provided: " + redact(secret)
                    + ". Check the key, or create one with a management key.");
        }
        ApiKey key = found.get();
        if (cache.size() >= maxEntries) {
            cache.clear(); // crude but bounded; a full cache only costs re-reads
        }
        cache.put(hash, new Cached(key, now.plus(ttl)));
        return key;
    }

    private static ApiKey usable(ApiKey key, Instant now) {
        String unusable = key.unusableReason(now);
        if (unusable != null) {
            throw unauthorized(unusable);
        }
        return key;
    }

    /** Drops a key from this instance's cache, e.g. right after it was revoked or changed here. */
    public void invalidate(String secretHash) {
        cache.remove(secretHash);
        byId.values().removeIf(cached -> cached.key().secretHash().equals(secretHash));
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("You didn't provide an API key. Send it in the Authorization header as "
                    + "'Authorization: Bearer sk-tg-...'.");
        }
        String value = authorization.strip();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("The Authorization header must be 'Bearer <your API key>'.");
        }
        String secret = value.substring(7).strip();
        if (!KeySecret.looksValid(secret)) {
            throw unauthorized("Malformed API key provided: " + redact(secret)
                    + ". Tollgate keys look like sk-tg- followed by 40 characters.");
        }
        return secret;
    }

    private static String redact(String secret) {
        if (secret.length() <= 10) {
            return "****";
        }
        return secret.substring(0, 6) + "****" + secret.substring(secret.length() - 4);
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(ErrorCode.INVALID_API_KEY, message);
    }
}
