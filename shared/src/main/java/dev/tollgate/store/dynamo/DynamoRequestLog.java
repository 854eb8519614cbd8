package dev.tollgate.store.dynamo;

import dev.tollgate.keys.Ids;
import dev.tollgate.ledger.LedgerCursor;
import dev.tollgate.ledger.RequestFilter;
import dev.tollgate.ledger.RequestLog;
import dev.tollgate.ledger.RequestPage;
import dev.tollgate.ledger.RequestRecord;
import dev.tollgate.ledger.RequestStatus;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
 *
 * <p>Free requests' entries are packed ({@link FreeEntryPacks}): a pack sits in the index at its newest entry's time
 * and holds entries up to {@link FreeEntryPacks#SPAN} older, so rows are merged ({@link RequestMerge}) rather than
 * taken in index order. A cursor resumes by time (items at or below its time, less what is not after it), after
 * reading the packs of the span just above it, which may hold older entries. The model and status filters apply to
 * packed entries here, not in DynamoDB.
 */
public final class DynamoRequestLog implements RequestLog {

    /**
     * The most items one page evaluates (about 110 RCU at ~450 bytes an item, strongly consistent); a pack counts as
     * its size in such items. The packs of the second above a cursor are read outside it.
     */
    static final int READ_BUDGET = 1000;
    /** With a model or status filter, each query asks for this many items at least. */
    private static final int FILTERED_QUERY = 100;
    /** Without one, at least this many: enough to read past a pack's span in one query. */
    private static final int MIN_QUERY = 10;
    /**
     * A pack counts toward the budget as this many bytes an item (a single entry's size): a full pack of 1,000
     * entries as ~90 items.
     */
    private static final int ITEM_BYTES = 450;

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
        if (item != null && LedgerViews.isRequest(item)) {
            return Optional.of(LedgerViews.request(item));
        }
        OptionalLong started = Ids.requestSecond(requestId);
        return started.isEmpty() ? Optional.empty() : findPacked(accountId, requestId, started.getAsLong());
    }

    /** A free request's entry, in the packs of the second its id records (a few items: one per key and writer). */
    private Optional<RequestRecord> findPacked(String accountId, String requestId, long second) {
        Map<String, AttributeValue> start = null;
        int evaluated = 0;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(tables.ledger()).consistentRead(true)
                    .keyConditionExpression("accountId = :a AND begins_with(entryId, :p)")
                    .expressionAttributeValues(Map.of(":a", Attr.s(accountId), ":p", Attr.s(FreeEntryPacks.prefix(second))));
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse response = dynamo.query(query.build());
            evaluated += response.scannedCount();
            for (Map<String, AttributeValue> pack : response.items()) {
                for (Map<String, AttributeValue> entry : RequestMerge.unpacked(pack)) {
                    if (requestId.equals(Attr.str(entry, "entryId")) && LedgerViews.isRequest(entry)) {
                        return Optional.of(LedgerViews.request(entry));
                    }
                }
            }
            start = Attr.nextStart(response);
        } while (start != null && evaluated < READ_BUDGET);
        return Optional.empty();
    }

    @Override
    public RequestPage list(RequestFilter filter, int limit, LedgerCursor after) {
        Bound bound = Bound.of(filter, after);
        String from = filter.start() == null ? null : LedgerItems.sortableTime(filter.start());
        if (bound != null && from != null && (bound.inclusive() ? bound.at().compareTo(from) < 0 : bound.at().compareTo(from) <= 0)) {
            return new RequestPage(List.of(), null); // a cursor before the period: nothing is left in it
        }
        RequestMerge merge = new RequestMerge(filter, after);
        if (bound != null) {
            readPacksAbove(filter, bound, merge);
        }
        Map<String, AttributeValue> start = null;
        int evaluated = 0;
        while (true) {
            // One more row than the page, to know whether another page exists.
            int wanted = Math.max(limit + 1 - merge.rows() - merge.waiting(), MIN_QUERY);
            int queryLimit = filter.narrowsRows() ? Math.max(wanted, FILTERED_QUERY) : wanted;
            QueryResponse response = dynamo.query(query(filter, from, bound, false, start,
                    Math.max(1, Math.min(queryLimit, READ_BUDGET - evaluated))));
            evaluated += response.scannedCount();
            for (Map<String, AttributeValue> item : response.items()) {
                evaluated += FreeEntryPacks.isPack(item) ? FreeEntryPacks.packedBytes(item) / ITEM_BYTES : 0;
                merge.read(item);
                if (merge.rows() > limit) {
                    return merge.page(limit);
                }
            }
            start = Attr.nextStart(response);
            if (start == null) {
                merge.readAll();
                return merge.page(limit);
            }
            merge.readTo(Attr.str(start, "at")); // items up to there that the filters dropped: none is left above it
            if (merge.rows() > limit) {
                return merge.page(limit);
            }
            if (evaluated >= READ_BUDGET) {
                // Out of budget: the next page starts after the last row of this one (or where the reading stopped).
                return merge.pageOutOfBudget(limit);
            }
        }
    }

    /**
     * Where a page's rows end, as the index's sort key: the cursor's stored time (rows at it are compared by id), or
     * the period's end (exclusive), whichever comes first in the index. Stored times compare as strings, as the index
     * orders them (entries written before times had nine fraction digits are in a shorter form).
     */
    record Bound(String at, boolean inclusive) {

        static Bound of(RequestFilter filter, LedgerCursor after) {
            Bound end = filter.end() == null ? null : new Bound(LedgerItems.sortableTime(filter.end()), false);
            Bound cursor = after == null ? null : new Bound(after.at(), true);
            if (end == null || cursor == null) {
                return end == null ? cursor : end;
            }
            return cursor.at().compareTo(end.at()) < 0 ? cursor : end;
        }

        /**
         * The highest stored time a pack holding a row below the bound can have: its entries are at most
         * {@link FreeEntryPacks#SPAN} older than it, and a short-form time stands for up to a second more of
         * nine-digit ones; {@code null} when that is past what times can express.
         */
        String packsUpTo() {
            try {
                Instant base = Instant.parse(at);
                Duration reach = at.length() == LedgerItems.sortableTime(base).length() ? FreeEntryPacks.SPAN
                        : FreeEntryPacks.SPAN.plusSeconds(1);
                String upTo = LedgerItems.sortableTime(base.plus(reach));
                return upTo.compareTo(at) > 0 ? upTo : null;
            } catch (DateTimeException | ArithmeticException e) {
                return null;
            }
        }
    }

    /**
     * Packs stored just above the bound can hold rows below it (a pack sits at its newest entry's time): read them
     * first, packs only. This reads (and pays for) the items of that span, about a second of the account's or key's
     * entries, outside the page's budget, so that a page always moves on.
     */
    private void readPacksAbove(RequestFilter filter, Bound bound, RequestMerge merge) {
        String upTo = bound.packsUpTo();
        if (upTo == null) {
            return;
        }
        Map<String, AttributeValue> start = null;
        do {
            // From the bound itself: a pack exactly at it is read again below, and its rows are kept once.
            QueryResponse response = dynamo.query(query(filter, bound.at(), new Bound(upTo, true), true, start, READ_BUDGET));
            response.items().forEach(merge::read);
            start = Attr.nextStart(response);
        } while (start != null);
    }

    /**
     * A query of the index {@code filter} reads, newest first, from {@code upper} (or the newest) down to
     * {@code from} (a stored time, inclusive; or the oldest); {@code packsOnly} for the packs above a bound.
     */
    private QueryRequest query(RequestFilter filter, String from, Bound upper, boolean packsOnly,
                               Map<String, AttributeValue> start, int limit) {
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        names.put("#type", "type");
        values.put(":packs", Attr.s(FreeEntryPacks.TYPE));
        StringBuilder key = new StringBuilder();
        String account = null;
        if (filter.keyId() != null) {
            key.append("keyId = :k");
            values.put(":k", Attr.s(filter.keyId()));
            account = "accountId = :a"; // key ids are unique, but a key of another account must never show
        } else {
            key.append("accountId = :a");
        }
        values.put(":a", Attr.s(filter.accountId()));
        String last = upper == null ? null : upper.at();
        if (from != null && upper != null) {
            key.append(" AND #at BETWEEN :start AND :last");
            if (!upper.inclusive()) {  // BETWEEN takes both ends: the period's last instant
                last = LedgerItems.sortableTime(Instant.parse(upper.at()).minusNanos(1));
            }
        } else if (from != null) {
            key.append(" AND #at >= :start");
        } else if (upper != null) {
            key.append(upper.inclusive() ? " AND #at <= :last" : " AND #at < :last");
        }
        if (from != null || upper != null) {
            names.put("#at", "at");
        }
        if (from != null) {
            values.put(":start", Attr.s(from));
        }
        if (last != null) {
            values.put(":last", Attr.s(last));
        }
        String rows = "#type = :packs";
        if (!packsOnly) {
            // Packs pass, to be unpacked and filtered entry by entry; single entries are filtered here.
            names.put("#status", "status");
            values.put(":reversed", Attr.s(RequestStatus.REVERSED));
            List<String> conditions = new ArrayList<>(List.of("attribute_exists(model)", "#status <> :reversed"));
            if (filter.model() != null) {
                conditions.add("model = :model");
                values.put(":model", Attr.s(filter.model()));
            }
            if (filter.status() != null) {
                conditions.add("#status IN (:status, :reconciledStatus)");
                values.put(":status", Attr.s(filter.status()));
                values.put(":reconciledStatus", Attr.s(RequestStatus.RECONCILED_PREFIX + filter.status()));
            }
            rows = "(" + rows + " OR (" + String.join(" AND ", conditions) + "))";
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(tables.ledger())
                .indexName(filter.keyId() != null ? DynamoTables.LEDGER_BY_KEY : DynamoTables.LEDGER_BY_TIME)
                // The local index can be read consistently; a global index cannot.
                .consistentRead(filter.keyId() == null)
                .keyConditionExpression(key.toString()).filterExpression(account == null ? rows : account + " AND " + rows)
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .scanIndexForward(false).limit(Math.max(1, limit));
        if (start != null) {
            query.exclusiveStartKey(start);
        }
        return query.build();
    }
}
