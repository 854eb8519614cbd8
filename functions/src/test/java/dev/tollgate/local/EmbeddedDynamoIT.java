package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.tollgate.functions.support.Network.connect;
import static dev.tollgate.functions.support.Network.externalAddress;

import java.net.ConnectException;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The local server's embedded DynamoDB Local holds every key hash and balance and checks no credentials: it listens
 * on 127.0.0.1 only. Its database opens in the background; a request sent at once waits for it instead of failing.
 */
class EmbeddedDynamoIT {

    @TempDir
    Path data;

    @Test
    void answersOnLoopbackAtOnceAndKeepsItsTablesAcrossRestarts() throws Exception {
        try (EmbeddedDynamo dynamo = EmbeddedDynamo.start(data);
             DynamoDbClient client = client(dynamo)) {
            client.createTable(t -> t.tableName("notes").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
            assertThat(dynamo.failure()).isNull();
        }
        try (EmbeddedDynamo dynamo = EmbeddedDynamo.start(data);
             DynamoDbClient client = client(dynamo)) {
            assertThat(client.listTables().tableNames()).containsExactly("notes");
        }
    }

    @Test
    void refusesConnectionsFromTheNetwork() throws Exception {
        InetAddress external = externalAddress();
        try (EmbeddedDynamo dynamo = EmbeddedDynamo.start(data)) {
            int port = dynamo.endpoint().getPort();
            assertThat(dynamo.endpoint().getHost()).isEqualTo("127.0.0.1");
            connect(InetAddress.getLoopbackAddress(), port);
            assertThatThrownBy(() -> connect(external, port)).as("port %d on %s", port, external)
                    .isInstanceOf(ConnectException.class);
        }
    }

    private static DynamoDbClient client(EmbeddedDynamo dynamo) {
        return DynamoDbClient.builder().endpointOverride(dynamo.endpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }
}
