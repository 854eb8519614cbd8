package dev.tollgate.store.dynamo;

import dev.tollgate.billing.Charge;
import dev.tollgate.money.Money;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes free requests' ledger entries with BatchWriteItem: unconditional puts (the entry id is the request's own,
 * so a repeated put writes the same item), the unprocessed ones (throttling) tried again a few times before giving up.
 */
final class FreeEntryBatches {

    /** BatchWriteItem's limit. */
    static final int BATCH = 25;
    private static final int ATTEMPTS = 5;

    private FreeEntryBatches() {
    }

    static void writeAll(DynamoDbClient dynamo, DynamoTables tables, List<Charge> charges) {
        for (int from = 0; from < charges.size(); from += BATCH) {
            write(dynamo, tables, charges.subList(from, Math.min(charges.size(), from + BATCH)));
        }
    }

    private static void write(DynamoDbClient dynamo, DynamoTables tables, List<Charge> charges) {
        List<WriteRequest> writes = charges.stream()
                .map(c -> WriteRequest.builder().putRequest(PutRequest.builder()
                        .item(LedgerItems.toItem(DynamoBalanceStore.chargeEntry(c, Money.ZERO, Money.ZERO, null))).build())
                        .build())
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
                + " free request entries were not written (throttled)");
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
