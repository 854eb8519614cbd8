package dev.tollgate.keys;

import java.util.List;
import java.util.Optional;

/** Port: where API keys live. Implemented on DynamoDB; an in-memory double serves unit tests. */
public interface KeyStore {

    Optional<ApiKey> findByHash(String secretHash);

    Optional<ApiKey> findById(String accountId, String keyId);

    List<ApiKey> listByAccount(String accountId);

    /** Stores a new key; fails if a key with the same hash exists. */
    void create(ApiKey key);
}
