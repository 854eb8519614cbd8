package dev.tollgate.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ListTablesRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * A DynamoDB client that records the CreateTable requests the application sends
 * ({@code DynamoTables.createMissing}, which creates the tables locally and in tests) and reports every
 * table as active. Any other operation throws, so a change in how the application creates tables shows here.
 */
final class RecordingDynamoDb implements DynamoDbClient {

    private final List<CreateTableRequest> created = new ArrayList<>();

    List<CreateTableRequest> created() {
        return List.copyOf(created);
    }

    @Override
    public ListTablesResponse listTables(ListTablesRequest request) {
        return ListTablesResponse.builder().tableNames(List.of()).build();
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
        created.add(request);
        return CreateTableResponse.builder().build();
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
        // The global indexes it was created with, so that no index looks missing (and none is added by UpdateTable).
        List<GlobalSecondaryIndexDescription> indexes = created.stream()
                .filter(t -> t.tableName().equals(request.tableName()) && t.hasGlobalSecondaryIndexes())
                .flatMap(t -> t.globalSecondaryIndexes().stream())
                .map(i -> GlobalSecondaryIndexDescription.builder().indexName(i.indexName()).keySchema(i.keySchema())
                        .indexStatus(IndexStatus.ACTIVE).build())
                .toList();
        return DescribeTableResponse.builder().table(TableDescription.builder().tableName(request.tableName())
                .tableStatus(TableStatus.ACTIVE).globalSecondaryIndexes(indexes).build()).build();
    }

    @Override
    public DynamoDbWaiter waiter() {
        return DynamoDbWaiter.builder().client(this).build();
    }

    @Override
    public DynamoDbServiceClientConfiguration serviceClientConfiguration() {
        return DynamoDbServiceClientConfiguration.builder().build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
