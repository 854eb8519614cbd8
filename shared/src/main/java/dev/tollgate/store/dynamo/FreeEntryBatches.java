package dev.tollgate.store.dynamo;

import dev.tollgate.billing.Charge;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes free requests' ledger entries, packed ({@link FreeEntryPacks}), with BatchWriteItem: unconditional puts, the
 * unprocessed ones (throttling) tried again a few times before giving up.
 */
final class FreeEntryBatches {

    /** BatchWriteItem's limit. */
    static final int BATCH = 25;
    private static final int ATTEMPTS = 5;

    private FreeEntryBatches() {
    }

    static void writeAll(DynamoDbClient dynamo, DynamoTables tables, List<Charge> charges) {
        List<Map<String, AttributeValue>> items = FreeEntryPacks.items(charges);
        for (int from = 0; from < items.size(); from += BATCH) {
            write(dynamo, tables, items.subList(from, Math.min(items.size(), from + BATCH)));
        }
    }

    private static void write(DynamoDbClient dynamo, DynamoTables tables, List<Map<String, AttributeValue>> items) {
        List<WriteRequest> writes = items.stream()
                .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                .toList();
        Map<String, List<WriteRequest>> todo = Map.of(tables.ledger(), writes);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Map<String, List<WriteRequest>> batch = todo;
            var response = dynamo.batchWriteItem(b -> b.requestItems(batch));
            if (!response.hasUnprocessedItems() || response.unprocessedItems().isEmpty()) {
                return;
            }
            todo = response.unprocessedItems();
            pause(attempt);
        }
        throw new IllegalStateException(todo.values().stream().mapToInt(List::size).sum()
                + " items of free request entries were not written (throttled)");
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(10L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing free request entries", e);
        }
    }
}
