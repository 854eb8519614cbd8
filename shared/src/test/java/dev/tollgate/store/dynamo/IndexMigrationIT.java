package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testkit.LocalDynamo;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A local data folder made by an older version has a ledger table without the {@code byKey} index: starting the
 * application adds it (createMissing only creates missing tables), and one key's requests can be read.
 */
class IndexMigrationIT {

    @Test
    void theLedgerOfAnOlderVersionGetsItsByKeyIndex() {
        try (LocalDynamo dynamo = LocalDynamo.start()) {
            DynamoTables tables = DynamoTables.withPrefix("old-");
            dynamo.client().createTable(b -> b.tableName(tables.ledger()).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attr("accountId"), attr("entryId"), attr("at"))
                    .keySchema(key("accountId", KeyType.HASH), key("entryId", KeyType.RANGE))
                    .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName(DynamoTables.LEDGER_BY_TIME)
                            .keySchema(key("accountId", KeyType.HASH), key("at", KeyType.RANGE))
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));

            tables.createMissing(dynamo.client());
            tables.createMissing(dynamo.client()); // and a second start changes nothing

            List<GlobalSecondaryIndexDescription> indexes = dynamo.client()
                    .describeTable(b -> b.tableName(tables.ledger())).table().globalSecondaryIndexes();
            assertThat(indexes).extracting(GlobalSecondaryIndexDescription::indexName).containsExactly(DynamoTables.LEDGER_BY_KEY);
            assertThat(indexes.getFirst().keySchema()).containsExactly(key("keyId", KeyType.HASH), key("at", KeyType.RANGE));
            assertThat(new DynamoRequestLog(dynamo.client(), tables).list(
                    new dev.tollgate.ledger.RequestFilter("acct_a", "key_a", null, null, null, null), 10, null).data()).isEmpty();
        }
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
