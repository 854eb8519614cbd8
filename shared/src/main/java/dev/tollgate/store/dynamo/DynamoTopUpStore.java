package dev.tollgate.store.dynamo;

import dev.tollgate.money.Money;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpLedger;
import dev.tollgate.topups.TopUpState;
import dev.tollgate.topups.TopUpStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Top-up orders in DynamoDB, and the transactions that credit them ({@link DynamoTopUpReversals} takes
 * refunds and disputes back): each changes the order, the account and the ledger together, conditioned
 * on the state it read, and is retried from a fresh read when a concurrent write got there first. The
 * expressions live in {@link TopUpWrites} and {@link AccountDebts}, where a test pins them.
 */
public final class DynamoTopUpStore implements TopUpStore {

    /** Rounds of read-and-retry when a concurrent write changed the balance or debt that was read. */
    private static final int MAX_ROUNDS = 20;

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;
    private final TopUpWrites writes;
    private final AccountDebts debts;
    private final DynamoTopUpReversals reversals;

    public DynamoTopUpStore(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.writes = new TopUpWrites(tables);
        this.debts = new AccountDebts(dynamo, tables);
        this.reversals = new DynamoTopUpReversals(dynamo, tables, writes, debts);
    }

    @Override
    public void create(TopUp order) {
        if (Transactions.write(dynamo, List.of(writes.create(order))) != null) {
            throw new IllegalStateException("top-up " + order.topupId() + " already exists");
        }
    }

    /** One-item transactions, like every other write here, so a failed condition reads the same way. */
    @Override
    public void attachSession(String topupId, String sessionId, String checkoutUrl, Instant expiresAt) {
        if (Transactions.write(dynamo, List.of(writes.attachSession(topupId, sessionId, checkoutUrl, expiresAt))) != null) {
            throw new IllegalStateException("top-up " + topupId + " is missing or has another checkout session");
        }
    }

    @Override
    public Optional<TopUp> find(String topupId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.topups())
                .key(TopUpWrites.key(topupId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(TopUpItems.fromItem(item));
    }

    /** The index is eventually consistent; the order itself is then read consistently. */
    @Override
    public Optional<TopUp> findByPaymentIntent(String paymentIntentId) {
        return dynamo.query(b -> b.tableName(tables.topups()).indexName(DynamoTables.TOPUPS_BY_PAYMENT_INTENT)
                        .keyConditionExpression("paymentIntentId = :pi")
                        .expressionAttributeValues(Map.of(":pi", Attr.s(paymentIntentId))).limit(1))
                .items().stream().findFirst().flatMap(i -> find(Attr.str(i, "topupId")));
    }

    @Override
    public List<TopUp> listByAccount(String accountId, int limit) {
        return dynamo.query(b -> b.tableName(tables.topups()).indexName(DynamoTables.TOPUPS_BY_ACCOUNT)
                        .keyConditionExpression("accountId = :a")
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId)))
                        .scanIndexForward(false).limit(limit))
                .items().stream().map(TopUpItems::fromItem).toList();
    }

    @Override
    public Credit credit(TopUp order, Payment payment) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            AccountDebts.State account = debts.read(order.accountId()).orElseThrow(
                    () -> new IllegalStateException("top-up " + order.topupId() + " names a missing account " + order.accountId()));
            Money owed = account.debt().max(Money.ZERO);
            Money paid = owed.min(order.amount());
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(writes.markPaid(order.topupId(), payment));
            items.add(debts.credit(order.accountId(), order.amount(), paid, owed));
            items.add(writes.ledger(TopUpLedger.credit(order, payment), payment.eventId(), payment.sessionId(),
                    payment.paymentIntentId()));
            if (paid.isPositive()) {
                items.add(writes.ledger(TopUpLedger.debtPaid(order, payment, paid, owed), payment.eventId(),
                        payment.sessionId(), payment.paymentIntentId()));
            }
            List<CancellationReason> reasons = Transactions.write(dynamo, items);
            if (reasons == null) {
                return new Credit(true, paid);
            }
            if (Transactions.failed(reasons, 0) || Transactions.failed(reasons, 2)) {
                return new Credit(false, Money.ZERO);
            }
            // The debt changed between the read and the write (a reversal or a repayment raced): read again.
        }
        throw new IllegalStateException("could not credit top-up " + order.topupId() + ": the account kept changing");
    }

    @Override
    public Reversed refund(TopUp order, Refund refund) {
        return reversals.refund(order, refund);
    }

    @Override
    public DisputeApplied dispute(TopUp order, DisputeChange change) {
        return reversals.dispute(order, change);
    }

    @Override
    public RefundReturned refundFailed(TopUp order, RefundFailure failure) {
        return reversals.refundFailed(order, failure);
    }

    @Override
    public boolean close(String topupId, TopUpState state, String eventId, String reason) {
        return Transactions.write(dynamo, List.of(writes.close(topupId, state, eventId, reason))) == null;
    }
}
