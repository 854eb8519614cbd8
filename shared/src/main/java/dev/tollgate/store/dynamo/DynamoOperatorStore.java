package dev.tollgate.store.dynamo;

import dev.tollgate.money.Money;
import dev.tollgate.operator.OperatorStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The operator console's reads across accounts. Name search and the debt total scan the accounts table (there is no
 * index by name; an operator looks at a few pages, never a customer request); the rest are queries: an account by
 * id, its newest ledger entry by the {@code byTime} index, hold counts per shard of the {@code openByExpiry} index. The
 * reconciler's last run is one item in the holds table outside that (sparse) index.
 */
public final class DynamoOperatorStore implements OperatorStore {

    static final String RECONCILER_RUN = "reconciler#last-run";

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;

    public DynamoOperatorStore(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public AccountPage searchByName(String text, String after, int scanLimit) {
        String needle = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        ScanResponse page = dynamo.scan(b -> {
            b.tableName(tables.accounts()).limit(scanLimit);
            if (after != null && !after.isBlank()) {
                b.exclusiveStartKey(Map.of("accountId", Attr.s(after)));
            }
        });
        List<AccountSummary> found = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            String name = Attr.str(item, "name");
            if (needle.isEmpty() || (name != null && name.toLowerCase(Locale.ROOT).contains(needle))) {
                found.add(summary(item));
            }
        }
        found.sort((a, b) -> a.name() == null ? 1 : b.name() == null ? -1 : a.name().compareToIgnoreCase(b.name()));
        Map<String, AttributeValue> last = page.lastEvaluatedKey();
        return new AccountPage(found, last == null || last.isEmpty() ? null : Attr.str(last, "accountId"));
    }

    @Override
    public Optional<AccountSummary> account(String accountId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.accounts())
                .key(Map.of("accountId", Attr.s(accountId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(summary(item));
    }

    @Override
    public Optional<Instant> lastActivity(String accountId) {
        return dynamo.query(b -> b.tableName(tables.ledger()).indexName(DynamoTables.LEDGER_BY_TIME)
                        .keyConditionExpression("accountId = :a").expressionAttributeValues(Map.of(":a", Attr.s(accountId)))
                        .scanIndexForward(false).limit(1).projectionExpression("#at").expressionAttributeNames(Map.of("#at", "at")))
                .items().stream().findFirst().map(item -> Attr.instant(item, "at"));
    }

    @Override
    public Holds holds(Instant now) {
        long open = 0;
        long overdue = 0;
        for (int shard = 0; shard < HoldItems.SHARDS; shard++) {
            String s = HoldItems.OPEN + "#" + shard;
            open += count(QueryRequest.builder().tableName(tables.holds()).indexName(DynamoTables.HOLDS_OPEN_BY_EXPIRY)
                    .keyConditionExpression("openShard = :s").expressionAttributeValues(Map.of(":s", Attr.s(s)))
                    .select(Select.COUNT).build());
            overdue += count(QueryRequest.builder().tableName(tables.holds()).indexName(DynamoTables.HOLDS_OPEN_BY_EXPIRY)
                    .keyConditionExpression("openShard = :s AND expiresAt < :now")
                    .expressionAttributeValues(Map.of(":s", Attr.s(s), ":now", Attr.n(now.toEpochMilli())))
                    .select(Select.COUNT).build());
        }
        return new Holds(open, overdue);
    }

    private long count(QueryRequest request) {
        return dynamo.queryPaginator(request).stream().mapToLong(r -> r.count()).sum();
    }

    @Override
    public Debts debts() {
        Map<String, String> names = Map.of("#d", "debt");
        Map<String, AttributeValue> values = Map.of(":zero", Attr.n(0));
        long total = 0;
        long owing = 0;
        for (ScanResponse page : dynamo.scanPaginator(b -> b.tableName(tables.accounts()).filterExpression("#d > :zero")
                .projectionExpression("#d").expressionAttributeNames(names).expressionAttributeValues(values))) {
            for (Map<String, AttributeValue> item : page.items()) {
                total = Math.addExact(total, Attr.num(item, "debt"));
                owing++;
            }
        }
        return new Debts(Money.ofMicros(total), owing);
    }

    @Override
    public void recordReconcilerRun(Instant at, int closed) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("holdId", Attr.s(RECONCILER_RUN));
        item.put("at", Attr.s(at.toString()));
        item.put("closed", Attr.n(closed));
        dynamo.putItem(b -> b.tableName(tables.holds()).item(item));
    }

    @Override
    public Optional<ReconcilerRun> lastReconcilerRun() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.holds())
                .key(Map.of("holdId", Attr.s(RECONCILER_RUN)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ReconcilerRun(Attr.instant(item, "at"), (int) Attr.num(item, "closed")));
    }

    private static AccountSummary summary(Map<String, AttributeValue> item) {
        return new AccountSummary(Attr.str(item, "accountId"), Attr.str(item, "name"),
                Money.ofMicros(Attr.num(item, "balance")), Money.ofMicros(Attr.num(item, "debt")),
                Attr.instant(item, "createdAt"));
    }
}
