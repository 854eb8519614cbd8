package dev.tollgate.store.dynamo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Adds the global secondary indexes a table created by an older version lacks (a local data folder kept across
 * upgrades): {@link DynamoTables#createMissing} only creates missing tables. On AWS the CDK stack adds them. Local
 * secondary indexes cannot be added to an existing table, so none is ever introduced after a table's creation.
 */
final class IndexMigration {

    private static final Duration WAIT = Duration.ofMinutes(2);

    private final DynamoDbClient dynamo;

    IndexMigration(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    void addMissing(List<CreateTableRequest> wanted) {
        for (CreateTableRequest table : wanted) {
            if (!table.hasGlobalSecondaryIndexes()) {
                continue;
            }
            TableDescription existing = describe(table.tableName());
            Set<String> present = existing.hasGlobalSecondaryIndexes() ? existing.globalSecondaryIndexes().stream()
                    .map(GlobalSecondaryIndexDescription::indexName).collect(Collectors.toSet()) : Set.of();
            for (GlobalSecondaryIndex index : table.globalSecondaryIndexes()) {
                if (!present.contains(index.indexName())) {
                    add(table, index);
                }
            }
        }
    }

    private void add(CreateTableRequest table, GlobalSecondaryIndex index) {
        Set<String> keyNames = index.keySchema().stream().map(KeySchemaElement::attributeName).collect(Collectors.toSet());
        List<AttributeDefinition> attributes = table.attributeDefinitions().stream()
                .filter(a -> keyNames.contains(a.attributeName())).toList();
        dynamo.updateTable(b -> b.tableName(table.tableName()).attributeDefinitions(attributes)
                .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().create(
                        CreateGlobalSecondaryIndexAction.builder().indexName(index.indexName()).keySchema(index.keySchema())
                                .projection(index.projection()).build()).build()));
        Instant deadline = Instant.now().plus(WAIT);
        while (!active(table.tableName(), index.indexName())) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("index " + index.indexName() + " of " + table.tableName()
                        + " did not become active within " + WAIT);
            }
            pause();
        }
    }

    private boolean active(String tableName, String indexName) {
        TableDescription table = describe(tableName);
        return table.hasGlobalSecondaryIndexes() && table.globalSecondaryIndexes().stream()
                .anyMatch(i -> i.indexName().equals(indexName) && i.indexStatus() == IndexStatus.ACTIVE);
    }

    private TableDescription describe(String tableName) {
        return dynamo.describeTable(b -> b.tableName(tableName)).table();
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a new index", e);
        }
    }
}
