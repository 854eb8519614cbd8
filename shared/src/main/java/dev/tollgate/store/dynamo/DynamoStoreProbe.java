package dev.tollgate.store.dynamo;

import dev.tollgate.health.StoreProbe;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Readiness of DynamoDB: one eventually consistent GetItem of an account id no account has. It needs only the read
 * permission every function already has on the accounts table (DescribeTable would need one of its own), and is
 * bounded to two seconds, retries included, so {@code GET /ready} answers promptly when DynamoDB does not.
 */
public final class DynamoStoreProbe implements StoreProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;

    public DynamoStoreProbe(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public void ping() {
        dynamo.getItem(r -> r.tableName(tables.accounts())
                .key(Map.of("accountId", AttributeValue.fromS("acct_ready_probe")))
                .overrideConfiguration(c -> c.apiCallTimeout(TIMEOUT)));
    }
}
