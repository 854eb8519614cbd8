package dev.tollgate.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
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
        return DescribeTableResponse.builder().table(TableDescription.builder().tableName(request.tableName())
                .tableStatus(TableStatus.ACTIVE).build()).build();
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
