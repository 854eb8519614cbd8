package dev.tollgate.bench;

import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyStore;
import dev.tollgate.keys.KeyUpdate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A key store holding one key, enough to measure the authenticator's cache-hit path. */
final class OneKeyStore implements KeyStore {

    private final ApiKey key;

    OneKeyStore(ApiKey key) {
        this.key = key;
    }

    @Override
    public Optional<ApiKey> findByHash(String secretHash) {
        return key.secretHash().equals(secretHash) ? Optional.of(key) : Optional.empty();
    }

    @Override
    public Optional<ApiKey> findById(String accountId, String keyId) {
        return key.keyId().equals(keyId) ? Optional.of(key) : Optional.empty();
    }

    @Override
    public List<ApiKey> listByAccount(String accountId) {
        return List.of(key);
    }

    @Override
    public void create(ApiKey newKey) {
        throw new UnsupportedOperationException("benchmark store is read-only");
    }

    @Override
    public Optional<ApiKey> update(String secretHash, KeyUpdate update) {
        throw new UnsupportedOperationException("benchmark store is read-only");
    }

    @Override
    public Optional<ApiKey> revoke(String secretHash, Instant at) {
        throw new UnsupportedOperationException("benchmark store is read-only");
    }
}
