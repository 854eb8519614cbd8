package dev.tollgate.keys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: where API keys live. Implemented on DynamoDB; an in-memory double serves unit tests. */
public interface KeyStore {

    Optional<ApiKey> findByHash(String secretHash);

    Optional<ApiKey> findById(String accountId, String keyId);

    List<ApiKey> listByAccount(String accountId);

    /** Stores a new key; fails if a key with the same hash exists. */
    void create(ApiKey key);

    /**
     * Applies {@code update} to a key that is not revoked and returns the key as stored afterwards, or
     * empty if there is no such key (or it was revoked meanwhile). A budget change keeps
     * {@code remaining = budget - spent} exact even while holds move {@code spent} concurrently; removing
     * the budget removes {@code remaining} with it.
     */
    Optional<ApiKey> update(String secretHash, KeyUpdate update);

    /**
     * Marks the key revoked at {@code at} and returns it; revoking it again keeps the first time. Empty if
     * there is no such key.
     */
    Optional<ApiKey> revoke(String secretHash, Instant at);
}
