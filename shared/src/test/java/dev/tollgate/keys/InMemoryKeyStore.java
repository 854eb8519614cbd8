package dev.tollgate.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory {@link KeyStore} double for unit tests. It counts {@link #findByHash} calls, so a test can
 * tell a cache hit from a store read, and lets a test change a stored key behind the cache's back with
 * {@link #put}, as another instance would.
 */
public final class InMemoryKeyStore implements KeyStore {

    private final Map<String, ApiKey> byHash = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    /** How many times {@link #findByHash} was called. */
    public int lookups() {
        return lookups.get();
    }

    /** Stores or replaces a key, as a write from elsewhere would. */
    public void put(ApiKey key) {
        byHash.put(key.secretHash(), key);
    }

    public void remove(String secretHash) {
        byHash.remove(secretHash);
    }

    @Override
    public Optional<ApiKey> findByHash(String secretHash) {
        lookups.incrementAndGet();
        return Optional.ofNullable(byHash.get(secretHash));
    }

    @Override
    public Optional<ApiKey> findById(String accountId, String keyId) {
        return byHash.values().stream()
                .filter(k -> k.accountId().equals(accountId) && k.keyId().equals(keyId))
                .findFirst();
    }

    @Override
    public List<ApiKey> listByAccount(String accountId) {
        return byHash.values().stream().filter(k -> k.accountId().equals(accountId)).toList();
    }

    @Override
    public void create(ApiKey key) {
        if (byHash.putIfAbsent(key.secretHash(), key) != null) {
            throw new IllegalStateException("a key with this hash exists");
        }
    }

    @Override
    public Optional<ApiKey> update(String secretHash, KeyUpdate update) {
        ApiKey updated = byHash.computeIfPresent(secretHash,
                (hash, key) -> key.revokedAt() != null ? key : update.applyTo(key));
        return updated == null || updated.revokedAt() != null ? Optional.empty() : Optional.of(updated);
    }

    @Override
    public Optional<ApiKey> revoke(String secretHash, Instant at) {
        return Optional.ofNullable(byHash.computeIfPresent(secretHash, (hash, key) -> key.revokedAt() != null ? key
                : new ApiKey(key.keyId(), key.accountId(), key.secretHash(), key.prefix(), key.name(), key.role(),
                        key.budget(), key.spent(), key.allowedModels(), key.expiresAt(), key.disabled(),
                        key.rpmLimit(), key.createdAt(), at)));
    }
}
