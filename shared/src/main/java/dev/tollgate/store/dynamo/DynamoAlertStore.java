package dev.tollgate.store.dynamo;

import dev.tollgate.alerts.Alert;
import dev.tollgate.alerts.AlertSettings;
import dev.tollgate.alerts.AlertStore;
import dev.tollgate.alerts.Delivery;
import dev.tollgate.autotopup.AutoTopUp;
import dev.tollgate.autotopup.AutoTopUpStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Alerts, deliveries and auto top-ups in the {@code alerts} table ({@link AlertItems}). The versioned items are
 * replaced with {@link #VERSION_IS} (or {@link #CREATE_IF} the first time): of concurrent writers that read the same
 * version, exactly one succeeds.
 */
public final class DynamoAlertStore implements AlertStore, AutoTopUpStore {

    static final String VERSION_IS = "version = :v";
    static final String CREATE_IF = "attribute_not_exists(itemId)";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoAlertStore(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.table = tables.alerts();
    }

    private Optional<Map<String, AttributeValue>> get(String accountId, String itemId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(AlertItems.key(accountId, itemId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private boolean putVersioned(Map<String, AttributeValue> item, long expected) {
        try {
            dynamo.putItem(b -> {
                b.tableName(table).item(item);
                if (expected == 0) {
                    b.conditionExpression(CREATE_IF);
                } else {
                    b.conditionExpression(VERSION_IS).expressionAttributeValues(Map.of(":v", Attr.n(expected)));
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<AutoTopUp> find(String accountId) {
        return get(accountId, AlertItems.AUTO_TOPUP).map(AlertItems::autoTopUp);
    }

    @Override
    public boolean replace(AutoTopUp expected, AutoTopUp next) {
        return putVersioned(AlertItems.autoTopUp(next, expected.version() + 1), expected.version());
    }

    @Override
    public List<String> due(Instant now, int limit) {
        return dueItems(AlertItems.DUE_AUTO_TOPUP, now, limit).stream().map(i -> Attr.str(i, "accountId")).toList();
    }

    private List<Map<String, AttributeValue>> dueItems(String shard, Instant now, int limit) {
        return dynamo.query(b -> b.tableName(table).indexName(DynamoTables.ALERTS_DUE_BY_TIME)
                .keyConditionExpression("dueShard = :s AND dueAt <= :now")
                .expressionAttributeValues(Map.of(":s", Attr.s(shard), ":now", Attr.n(now.toEpochMilli())))
                .limit(limit)).items();
    }

    @Override
    public Optional<AlertSettings> settings(String accountId) {
        return get(accountId, AlertItems.SETTINGS).map(AlertItems::settings);
    }

    @Override
    public boolean replace(AlertSettings expected, AlertSettings next) {
        return putVersioned(AlertItems.settings(next, expected.version() + 1), expected.version());
    }

    @Override
    public boolean markOnce(String accountId, String mark, Instant at) {
        try {
            dynamo.putItem(b -> b.tableName(table).conditionExpression(CREATE_IF).item(Map.of("accountId",
                    Attr.s(accountId), "itemId", Attr.s("mark#" + mark), "at", Attr.s(at.toString()),
                    "ttl", Attr.n(at.plus(AlertItems.KEEP).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void unmark(String accountId, String mark) {
        dynamo.deleteItem(b -> b.tableName(table).key(AlertItems.key(accountId, "mark#" + mark)));
    }

    @Override
    public void save(Alert alert) {
        dynamo.putItem(b -> b.tableName(table).item(AlertItems.alert(alert)));
    }

    @Override
    public List<Alert> alerts(String accountId, int limit) {
        return newest(accountId, "alert#", limit).stream().map(AlertItems::alert).toList();
    }

    @Override
    public void save(Delivery delivery) {
        dynamo.putItem(b -> b.tableName(table).item(AlertItems.delivery(delivery)));
    }

    @Override
    public List<Delivery> deliveries(String accountId, int limit) {
        return newest(accountId, "delivery#", limit).stream().map(AlertItems::delivery).toList();
    }

    @Override
    public List<Delivery> dueDeliveries(Instant now, int limit) {
        return dueItems(AlertItems.DUE_DELIVERY, now, limit).stream().map(AlertItems::delivery).toList();
    }

    private List<Map<String, AttributeValue>> newest(String accountId, String prefix, int limit) {
        return dynamo.query(b -> b.tableName(table).keyConditionExpression("accountId = :a AND begins_with(itemId, :p)")
                .expressionAttributeValues(Map.of(":a", Attr.s(accountId), ":p", Attr.s(prefix)))
                .scanIndexForward(false).limit(limit)).items();
    }
}
