package dev.tollgate.store.dynamo;

import dev.tollgate.ledger.LedgerHistory;
import dev.tollgate.ledger.LedgerTotals;
import dev.tollgate.ledger.Movement;
import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * An account's ledger in time order for the statement: one query of the ledger's {@code byTime} local index (the
 * account's partition, read consistently) from the period's start, all of its pages; the entries after the period are
 * only summed, read with a projection of the amounts. The account's totals come from one consistent read of its item.
 */
public final class DynamoLedgerHistory implements LedgerHistory {

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;

    public DynamoLedgerHistory(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public Optional<LedgerTotals> totals(String accountId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.accounts())
                .key(Map.of("accountId", Attr.s(accountId))).consistentRead(true)
                .projectionExpression("accountId, balance, held, debt")).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LedgerTotals(Money.ofMicros(Attr.num(item, "balance")), Money.ofMicros(Attr.num(item, "held")),
                Money.ofMicros(Attr.num(item, "debt"))));
    }

    @Override
    public Period read(String accountId, Instant from, Instant to, int maxRows) {
        List<Movement> rows = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(query(accountId, from, to, start, null));
            for (Map<String, AttributeValue> item : page.items()) {
                if (LedgerViews.moves(item)) {
                    if (rows.size() == maxRows) {
                        return new Period(rows, true, Money.ZERO, Money.ZERO);
                    }
                    rows.add(LedgerViews.movement(item));
                }
            }
            start = Attr.nextStart(page);
        } while (start != null);
        Money laterAmount = Money.ZERO;
        Money laterDebt = Money.ZERO;
        if (to != null) {
            do {
                QueryResponse page = dynamo.query(query(accountId, to, null, start, "entryId, amount, debtChange, shortfall"));
                for (Map<String, AttributeValue> item : page.items()) {
                    laterAmount = laterAmount.plus(Money.ofMicros(Attr.num(item, "amount")));
                    laterDebt = laterDebt.plus(LedgerViews.debtChange(item));
                }
                start = Attr.nextStart(page);
            } while (start != null);
        }
        return new Period(rows, false, laterAmount, laterDebt);
    }

    /** Entries of the account in {@code [from, to)} ({@code to} null: to the end), oldest first. */
    private QueryRequest query(String accountId, Instant from, Instant to, Map<String, AttributeValue> start,
                               String projection) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(tables.ledger()).indexName(DynamoTables.LEDGER_BY_TIME)
                .consistentRead(true).scanIndexForward(true)
                .expressionAttributeNames(Map.of("#at", "at"));
        if (to == null) {
            query.keyConditionExpression("accountId = :a AND #at >= :from")
                    .expressionAttributeValues(Map.of(":a", Attr.s(accountId), ":from", Attr.s(LedgerItems.sortableTime(from))));
        } else {
            query.keyConditionExpression("accountId = :a AND #at BETWEEN :from AND :last")
                    .expressionAttributeValues(Map.of(":a", Attr.s(accountId), ":from", Attr.s(LedgerItems.sortableTime(from)),
                            ":last", Attr.s(LedgerItems.sortableTime(to.minusNanos(1)))));
        }
        if (projection != null) {
            query.projectionExpression(projection);
        }
        if (start != null) {
            query.exclusiveStartKey(start);
        }
        return query.build();
    }
}
