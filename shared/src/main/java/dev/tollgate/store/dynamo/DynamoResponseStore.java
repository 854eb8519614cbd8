package dev.tollgate.store.dynamo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.inbound.responses.ResponseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Stored responses in the {@code responses} table, one item per response id, with the owning account and a TTL
 * attribute ({@code ttl}, epoch seconds) that DynamoDB deletes by. DynamoDB deletes expired items within a day or
 * two, not at once, so reads also check the expiry; and reads check the account, so a guessed id of another
 * account's response is "not found".
 */
public final class DynamoResponseStore implements ResponseStore {

    /** DynamoDB items are at most 400 KB; the attribute names and the other attributes fit in the rest. */
    static final int MAX_BYTES = 380_000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final ObjectMapper json;
    private final Clock clock;

    public DynamoResponseStore(DynamoDbClient dynamo, DynamoTables tables, ObjectMapper json, Clock clock) {
        this.dynamo = dynamo;
        this.table = tables.responses();
        this.json = json;
        this.clock = clock;
    }

    @Override
    public boolean save(Stored stored) {
        String response = stored.response().toString();
        String conversation = stored.conversation().toString();
        if (response.getBytes(StandardCharsets.UTF_8).length + conversation.getBytes(StandardCharsets.UTF_8).length
                > MAX_BYTES) {
            return false;
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("responseId", AttributeValue.fromS(stored.id()));
        item.put("accountId", AttributeValue.fromS(stored.accountId()));
        item.put("response", AttributeValue.fromS(response));
        item.put("conversation", AttributeValue.fromS(conversation));
        item.put("ttl", AttributeValue.fromN(Long.toString(stored.expiresAt().getEpochSecond())));
        dynamo.putItem(b -> b.tableName(table).item(item));
        return true;
    }

    @Override
    public Optional<Stored> find(String accountId, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("responseId", AttributeValue.fromS(id))).consistentRead(true)).item();
        if (item == null || item.isEmpty() || !accountId.equals(item.get("accountId").s())) {
            return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(item.get("ttl").n()));
        if (!expiresAt.isAfter(clock.instant())) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stored(id, accountId, (ObjectNode) json.readTree(item.get("response").s()),
                    (ArrayNode) json.readTree(item.get("conversation").s()), expiresAt));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean delete(String accountId, String id) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("responseId", AttributeValue.fromS(id)))
                    .conditionExpression("accountId = :a")
                    .expressionAttributeValues(Map.of(":a", AttributeValue.fromS(accountId))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false; // absent, or another account's
        }
    }
}
