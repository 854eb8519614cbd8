package dev.tollgate.store.dynamo;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Tollgate's tables, their keys and indexes. The CDK stack declares the same schema for AWS; locally
 * and in tests {@link #createMissing} creates them in DynamoDB Local.
 *
 * <ul>
 *   <li>{@code accounts}: {@code accountId} → name, balance (µ$), held (µ$: the total of its open holds, moved in the
 *       same updates as the balance)</li>
 *   <li>{@code keys}: {@code keyHash} → key fields; GSI {@code byAccount} (accountId, keyId)</li>
 *   <li>{@code ledger}: ({@code accountId}, {@code entryId}); LSI {@code byTime} (accountId, at), which the statement and
 *       an account's request log read; sparse GSI {@code byKey} (keyId, at) of request entries, for one key's requests
 *       (docs/adr/0008)</li>
 *   <li>{@code holds}: {@code holdId}; sparse GSI {@code openByExpiry} (openShard, expiresAt) for the reconciler; TTL {@code ttl};
 *       also one {@code streams#<accountId>} item per streaming account, its open-stream leases ({@link DynamoStreamSlots}),
 *       and one {@code idem#<accountId>#<key>} item per Idempotency-Key in use ({@link DynamoIdempotencyStore})</li>
 *   <li>{@code usage}: ({@code accountId}, {@code dayModel}) → counters</li>
 *   <li>{@code topups}: {@code topupId} → Stripe top-up orders; GSI {@code byAccount} (accountId, createdAt);
 *       sparse GSI {@code byPaymentIntent} (paymentIntentId), set when an order is paid, for refunds and disputes</li>
 *   <li>{@code responses}: {@code responseId} → stored Responses API responses and their conversations; TTL {@code ttl}</li>
 *   <li>{@code alerts}: ({@code accountId}, {@code itemId}) → auto top-up and alert settings, alerts, webhook deliveries
 *       ({@code AlertItems}); sparse GSI {@code dueByTime} (dueShard, dueAt) of work due; TTL {@code ttl}</li>
 * </ul>
 *
 * <p>Accounts may also carry {@code debt} (µ$): what refunds and lost disputes took back beyond the balance.
 */
public record DynamoTables(String accounts, String keys, String ledger, String holds, String usage, String topups,
                           String responses, String alerts) {

    public static final String KEYS_BY_ACCOUNT = "byAccount";
    public static final String LEDGER_BY_TIME = "byTime";
    public static final String LEDGER_BY_KEY = "byKey";
    public static final String HOLDS_OPEN_BY_EXPIRY = "openByExpiry";
    public static final String TOPUPS_BY_ACCOUNT = "byAccount";
    public static final String TOPUPS_BY_PAYMENT_INTENT = "byPaymentIntent";
    public static final String ALERTS_DUE_BY_TIME = "dueByTime";

    public static DynamoTables withPrefix(String prefix) {
        return new DynamoTables(prefix + "accounts", prefix + "keys", prefix + "ledger", prefix + "holds", prefix + "usage",
                prefix + "topups", prefix + "responses", prefix + "alerts");
    }

    public List<String> all() {
        return List.of(accounts, keys, ledger, holds, usage, topups, responses, alerts);
    }

    /** Creates whichever tables do not exist yet (on-demand billing) and waits until they are active. */
    public void createMissing(DynamoDbClient dynamo) {
        List<String> existing = dynamo.listTablesPaginator().tableNames().stream().toList();
        List<CreateTableRequest> wanted = new ArrayList<>();
        wanted.add(table(accounts, "accountId", null).build());
        wanted.add(table(keys, "keyHash", null)
                .attributeDefinitions(attr("keyHash"), attr("accountId"), attr("keyId"))
                .globalSecondaryIndexes(gsi(KEYS_BY_ACCOUNT, "accountId", "keyId", ScalarAttributeType.S)).build());
        wanted.add(table(ledger, "accountId", "entryId")
                .attributeDefinitions(attr("accountId"), attr("entryId"), attr("at"), attr("keyId"))
                .globalSecondaryIndexes(gsi(LEDGER_BY_KEY, "keyId", "at", ScalarAttributeType.S))
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName(LEDGER_BY_TIME)
                        .keySchema(key("accountId", KeyType.HASH), key("at", KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .build());
        wanted.add(table(holds, "holdId", null)
                .attributeDefinitions(attr("holdId"), attr("openShard"),
                        AttributeDefinition.builder().attributeName("expiresAt").attributeType(ScalarAttributeType.N).build())
                .globalSecondaryIndexes(gsi(HOLDS_OPEN_BY_EXPIRY, "openShard", "expiresAt", ScalarAttributeType.N)).build());
        wanted.add(table(usage, "accountId", "dayModel").build());
        wanted.add(table(topups, "topupId", null)
                .attributeDefinitions(attr("topupId"), attr("accountId"), attr("createdAt"), attr("paymentIntentId"))
                .globalSecondaryIndexes(gsi(TOPUPS_BY_ACCOUNT, "accountId", "createdAt", ScalarAttributeType.S),
                        GlobalSecondaryIndex.builder().indexName(TOPUPS_BY_PAYMENT_INTENT)
                                .keySchema(key("paymentIntentId", KeyType.HASH))
                                .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build())
                .build());
        wanted.add(table(responses, "responseId", null).build());
        wanted.add(table(alerts, "accountId", "itemId")
                .attributeDefinitions(attr("accountId"), attr("itemId"), attr("dueShard"),
                        AttributeDefinition.builder().attributeName("dueAt").attributeType(ScalarAttributeType.N).build())
                .globalSecondaryIndexes(gsi(ALERTS_DUE_BY_TIME, "dueShard", "dueAt", ScalarAttributeType.N)).build());
        for (CreateTableRequest request : wanted) {
            if (!existing.contains(request.tableName())) {
                try {
                    dynamo.createTable(request);
                } catch (ResourceInUseException raced) {
                    // another instance created it first
                }
            }
        }
        for (CreateTableRequest request : wanted) {
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(request.tableName()));
        }
        new IndexMigration(dynamo).addMissing(wanted);
    }

    private static CreateTableRequest.Builder table(String name, String hash, String range) {
        List<KeySchemaElement> keySchema = new ArrayList<>();
        List<AttributeDefinition> attributes = new ArrayList<>();
        keySchema.add(key(hash, KeyType.HASH));
        attributes.add(attr(hash));
        if (range != null) {
            keySchema.add(key(range, KeyType.RANGE));
            attributes.add(attr(range));
        }
        return CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(keySchema).attributeDefinitions(attributes);
    }

    private static GlobalSecondaryIndex gsi(String name, String hash, String range, ScalarAttributeType rangeType) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(key(hash, KeyType.HASH), key(range, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
