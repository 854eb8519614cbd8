package dev.tollgate.store.dynamo;

import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** API keys in DynamoDB, addressed by the SHA-256 hash of their secret. */
public final class DynamoKeyStore implements KeyStore {

    /** Pinned by a test: creating a key never overwrites another. */
    static final String CREATE_CONDITION = "attribute_not_exists(keyHash)";

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
}
