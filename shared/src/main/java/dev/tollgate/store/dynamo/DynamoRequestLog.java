package dev.tollgate.store.dynamo;

import dev.tollgate.ledger.LedgerCursor;
import dev.tollgate.ledger.RequestFilter;
import dev.tollgate.ledger.RequestLog;
import dev.tollgate.ledger.RequestPage;
import dev.tollgate.ledger.RequestRecord;
import dev.tollgate.ledger.RequestStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The request log, read from the ledger newest first (docs/adr/0008). An account's requests come from the ledger's
 * {@code byTime} local index (the account's partition, read consistently: a request that just settled is listed);
 * one key's from the sparse {@code byKey} global index (eventually consistent, typically well under a second
 * behind). Other entries in the account's partition (top-ups, refunds, reversals) and the model and status filters
 * are applied by DynamoDB as filter expressions: their items are read and paid for, so a page reads at most
 * {@value #READ_BUDGET} items and may come back short with a cursor to go on.
 */
public final class DynamoRequestLog implements RequestLog {

    /** The most items one page evaluates (about 110 RCU at ~450 bytes an item, strongly consistent). */
    static final int READ_BUDGET = 1000;
    /** With a model or status filter, each query asks for this many items at least. */
    private static final int FILTERED_QUERY = 100;

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;

    public DynamoRequestLog(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public Optional<RequestRecord> find(String accountId, String requestId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.ledger())
                .key(Map.of("accountId", Attr.s(accountId), "entryId", Attr.s(requestId))).consistentRead(true)).item();
        return item == null || !LedgerViews.isRequest(item) ? Optional.empty() : Optional.of(LedgerViews.request(item));
    }

    @Override
    public RequestPage list(RequestFilter filter, int limit, LedgerCursor after) {
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        Map<String, AttributeValue> start = after == null ? null : startKey(filter, after);
        int evaluated = 0;
        while (true) {
            int wanted = limit + 1 - rows.size(); // one more than the page, to know whether another page exists
            int queryLimit = filter.narrowsRows() ? Math.max(wanted, FILTERED_QUERY) : wanted;
            QueryResponse response = dynamo.query(query(filter, start, Math.min(queryLimit, READ_BUDGET - evaluated)));
            evaluated += response.scannedCount();
            rows.addAll(response.items());
            if (rows.size() > limit) {
                List<Map<String, AttributeValue>> page = rows.subList(0, limit);
                return new RequestPage(page.stream().map(LedgerViews::request).toList(), cursor(page.get(limit - 1)));
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
            if (start == null || evaluated >= READ_BUDGET) {
                // Out of items, or out of budget: then the next page starts where the reading stopped.
                return new RequestPage(rows.stream().map(LedgerViews::request).toList(), start == null ? null : cursor(start));
            }
        }
    }

    private QueryRequest query(RequestFilter filter, Map<String, AttributeValue> start, int limit) {
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        names.put("#status", "status");
        values.put(":reversed", Attr.s(RequestStatus.REVERSED));
        StringBuilder key = new StringBuilder();
        List<String> conditions = new ArrayList<>(List.of("attribute_exists(model)", "#status <> :reversed"));
        if (filter.keyId() != null) {
            key.append("keyId = :k");
            values.put(":k", Attr.s(filter.keyId()));
            conditions.add("accountId = :a"); // key ids are unique, but a key of another account must never show
        } else {
            key.append("accountId = :a");
        }
        values.put(":a", Attr.s(filter.accountId()));
        if (filter.start() != null && filter.end() != null) {
            key.append(" AND #at BETWEEN :start AND :last");
        } else if (filter.start() != null) {
            key.append(" AND #at >= :start");
        } else if (filter.end() != null) {
            key.append(" AND #at < :end");
        }
        if (filter.start() != null || filter.end() != null) {
            names.put("#at", "at");
        }
        if (filter.start() != null) {
            values.put(":start", Attr.s(LedgerItems.sortableTime(filter.start())));
        }
        if (filter.end() != null) {
            values.put(filter.start() != null ? ":last" : ":end", Attr.s(LedgerItems.sortableTime(
                    filter.start() != null ? filter.end().minusNanos(1) : filter.end())));
        }
        if (filter.model() != null) {
            conditions.add("model = :model");
            values.put(":model", Attr.s(filter.model()));
        }
        if (filter.status() != null) {
            conditions.add("#status IN (:status, :reconciledStatus)");
            values.put(":status", Attr.s(filter.status()));
            values.put(":reconciledStatus", Attr.s(RequestStatus.RECONCILED_PREFIX + filter.status()));
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(tables.ledger())
                .indexName(filter.keyId() != null ? DynamoTables.LEDGER_BY_KEY : DynamoTables.LEDGER_BY_TIME)
                // The local index can be read consistently; a global index cannot.
                .consistentRead(filter.keyId() == null)
                .keyConditionExpression(key.toString()).filterExpression(String.join(" AND ", conditions))
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .scanIndexForward(false).limit(Math.max(1, limit));
        if (start != null) {
            query.exclusiveStartKey(start);
        }
        return query.build();
    }

    /** The index position of {@code after} in the index {@code filter} reads: its keys and the table's. */
    private static Map<String, AttributeValue> startKey(RequestFilter filter, LedgerCursor after) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put("accountId", Attr.s(filter.accountId()));
        key.put("entryId", Attr.s(after.entryId()));
        key.put("at", Attr.s(after.at()));
        if (filter.keyId() != null) {
            key.put("keyId", Attr.s(filter.keyId()));
        }
        return key;
    }

    private static LedgerCursor cursor(Map<String, AttributeValue> item) {
        return new LedgerCursor(Attr.str(item, "at"), Attr.str(item, "entryId"));
    }
}
