package dev.tollgate.store.dynamo;

import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyStore;
import dev.tollgate.keys.KeyUpdate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/** API keys in DynamoDB, addressed by the SHA-256 hash of their secret. */
public final class DynamoKeyStore implements KeyStore {

    /** Pinned by a test: creating a key never overwrites another. */
    static final String CREATE_CONDITION = "attribute_not_exists(keyHash)";
    /** A key in constant use moves {@code spent} with every hold; each retry re-reads it. */
    private static final int MAX_UPDATE_ATTEMPTS = 25;

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;

    public DynamoKeyStore(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public Optional<ApiKey> findByHash(String secretHash) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.keys())
                .key(Map.of("keyHash", Attr.s(secretHash))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(KeyItems.fromItem(item));
    }

    @Override
    public Optional<ApiKey> findById(String accountId, String keyId) {
        return dynamo.query(b -> b.tableName(tables.keys()).indexName(DynamoTables.KEYS_BY_ACCOUNT)
                        .keyConditionExpression("accountId = :a AND keyId = :k")
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId), ":k", Attr.s(keyId))))
                .items().stream().findFirst().map(KeyItems::fromItem);
    }

    @Override
    public List<ApiKey> listByAccount(String accountId) {
        return dynamo.queryPaginator(b -> b.tableName(tables.keys()).indexName(DynamoTables.KEYS_BY_ACCOUNT)
                        .keyConditionExpression("accountId = :a")
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))))
                .items().stream().map(KeyItems::fromItem).toList();
    }

    @Override
    public void create(ApiKey key) {
        dynamo.putItem(b -> b.tableName(tables.keys()).item(KeyItems.toItem(key)).conditionExpression(CREATE_CONDITION));
    }

    /**
     * Read, then write conditioned on what was read: a budget change sets {@code remaining} from the
     * {@code spent} it saw and commits only if {@code spent} did not move (see {@link KeyUpdates}). When a
     * hold or settlement got in between, the condition fails and the loop reads again.
     */
    @Override
    public Optional<ApiKey> update(String secretHash, KeyUpdate update) {
        for (int attempt = 1; ; attempt++) {
            Optional<ApiKey> current = findByHash(secretHash);
            if (current.isEmpty() || current.get().revokedAt() != null) {
                return Optional.empty();
            }
            if (update.isEmpty()) {
                return current;
            }
            try {
                var request = KeyUpdates.request(tables.keys(), secretHash, update, current.get().spent());
                return Optional.of(KeyItems.fromItem(dynamo.updateItem(request).attributes()));
            } catch (ConditionalCheckFailedException | TransactionConflictException moved) {
                if (attempt >= MAX_UPDATE_ATTEMPTS) {
                    throw new IllegalStateException("key " + current.get().keyId() + " kept changing during "
                            + MAX_UPDATE_ATTEMPTS + " attempts to update it", moved);
                }
                pause(attempt);
            }
        }
    }

    @Override
    public Optional<ApiKey> revoke(String secretHash, Instant at) {
        try {
            return retryingConflicts(() -> Optional.of(KeyItems.fromItem(dynamo.updateItem(b -> b.tableName(tables.keys())
                    .key(Map.of("keyHash", Attr.s(secretHash)))
                    .updateExpression(KeyUpdates.REVOKE).conditionExpression(KeyUpdates.REVOKE_IF)
                    .expressionAttributeValues(Map.of(":at", Attr.s(at.toString())))
                    .returnValues(ReturnValue.ALL_NEW)).attributes())));
        } catch (ConditionalCheckFailedException missingOrRevoked) {
            return findByHash(secretHash); // already revoked: the first revocation time stands
        }
    }

    /** An UpdateItem that meets a running transaction on the same item (a hold) is refused; it is safe to retry. */
    private static <T> T retryingConflicts(Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (TransactionConflictException e) {
                if (attempt >= MAX_UPDATE_ATTEMPTS) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, Math.min(50, 1L << Math.min(attempt, 6)) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while updating a key", e);
        }
    }
}
