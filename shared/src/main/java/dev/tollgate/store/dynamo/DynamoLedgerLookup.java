package dev.tollgate.store.dynamo;

import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerLookup;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads single ledger entries by (accountId, entryId), consistently: a just-written entry must be found. */
public final class DynamoLedgerLookup implements LedgerLookup {

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;

    public DynamoLedgerLookup(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public Optional<LedgerEntry> find(String accountId, String entryId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.ledger())
                .key(Map.of("accountId", Attr.s(accountId), "entryId", Attr.s(entryId))).consistentRead(true)).item();
        // A pack of free requests' entries is not an entry (its entries are found by the request log).
        return item == null || item.isEmpty() || FreeEntryPacks.isPack(item) ? Optional.empty()
                : Optional.of(LedgerItems.fromItem(item));
    }
}
