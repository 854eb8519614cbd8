package dev.tollgate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

class LocalDynamoIT {

    private static final String JOBS_PACKAGE = "com.amazonaws.services.dynamodbv2.local.shared.jobs.";

    @Test
    void createsTableAndEnforcesConditionalUpdates() {
        try (LocalDynamo dynamo = LocalDynamo.start()) {
            DynamoDbClient db = dynamo.client();
            assertThat(dynamo.endpoint().getHost()).isEqualTo("127.0.0.1");
            createTable(db);
            db.putItem(b -> b.tableName("balances").item(Map.of(
                    "pk", AttributeValue.fromS("acct#1"), "micros", AttributeValue.fromN("100"))));

            assertThat(debit(db, 60).attributes().get("micros").n()).isEqualTo("40");
            assertThatThrownBy(() -> debit(db, 60)).isInstanceOf(ConditionalCheckFailedException.class);
            assertThat(db.getItem(b -> b.tableName("balances").key(Map.of("pk", AttributeValue.fromS("acct#1"))))
                    .item().get("micros").n()).isEqualTo("40");
        }
    }

    @Test
    void persistentInstanceKeepsDataAcrossRestarts(@TempDir Path dir) {
        try (LocalDynamo dynamo = LocalDynamo.startPersistent(dir)) {
            createTable(dynamo.client());
        }
        try (LocalDynamo again = LocalDynamo.startPersistent(dir)) {
            assertThat(again.client().listTables().tableNames()).containsExactly("balances");
        }
    }

    @Test
    void closeLeavesNoBackgroundJobThreadsBehind() throws InterruptedException {
        List<Thread> before = jobThreads(); // other instances in this JVM, if any, are not ours to judge
        List<Thread> ours;
        try (LocalDynamo dynamo = LocalDynamo.start()) {
            createTable(dynamo.client());
            ours = jobThreads().stream().filter(t -> !before.contains(t)).toList();
            assertThat(ours).isNotEmpty();
        }
        // Interrupted on close; they unwind asynchronously, so poll briefly.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ours.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ours).noneMatch(Thread::isAlive);
    }

    /** Live threads running DynamoDB Local's background jobs (TTL, GSI, shard rollover). */
    private static List<Thread> jobThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().isAlive())
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith(JOBS_PACKAGE)))
                .map(Map.Entry::getKey)
                .toList();
    }

    private static void createTable(DynamoDbClient db) {
        db.createTable(b -> b.tableName("balances")
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    }

    private static software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse debit(DynamoDbClient db,
            long micros) {
        return db.updateItem(UpdateItemRequest.builder()
                .tableName("balances")
                .key(Map.of("pk", AttributeValue.fromS("acct#1")))
                .updateExpression("SET micros = micros - :d")
                .conditionExpression("micros >= :d")
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromN(String.valueOf(micros))))
                .returnValues(ReturnValue.UPDATED_NEW)
                .build());
    }
}
