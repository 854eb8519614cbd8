package dev.tollgate.store.dynamo;

import dev.tollgate.billing.Charge;
import dev.tollgate.billing.Hold;
import dev.tollgate.billing.Settlement;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Closing holds: the settlement transaction, with what escapes a hold turned into debt, and the progress a
 * running request records on its hold for the reconciler. The expressions are constants a test pins.
 */
final class HoldSettlements {

    /** Progress on an open hold: the charge so far, replaced by each later record. */
    static final String RECORD_PROGRESS = "SET progressPrompt = :p, progressCompletion = :c, progressCost = :cost,"
            + " progressModel = :model, progressStatus = :status, progressLatency = :latency, progressAt = :at";
    /**
     * A final charge whose settlement failed: also due to the reconciler now, not at the hold's expiry, and marked so
     * that no progress write still in flight (from the stream's timer) can replace it with an earlier, smaller one.
     */
    static final String RECORD_DUE = RECORD_PROGRESS + ", expiresAt = :due, progressDue = :true";
    static final String RECORD_IF = "#state = :open AND attribute_not_exists(progressDue)";
    static final String RECORD_DUE_IF = "#state = :open";

    /** Rounds of read-and-retry while concurrent requests move the balance that a shortfall takes whole. */
    private static final int MAX_ROUNDS = 20;

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;
    private final BalanceWrites writes;
    private final AccountDebts debts;

    HoldSettlements(DynamoDbClient dynamo, DynamoTables tables, BalanceWrites writes, AccountDebts debts) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.writes = writes;
        this.debts = debts;
    }

    /**
     * One transaction: close the hold, give back what it held beyond the cost, or take the cost above it from the
     * balance as far as the balance goes and add the rest to the account's debt; the ledger entry and the usage
     * counters with it. Nothing is written off: the debt blocks the account until a top-up pays it.
     */
    Settlement settle(Hold hold, Charge charge) {
        Money cost = charge.cost();
        Money extra = cost.minus(hold.amount()).max(Money.ZERO);
        Money fromBalance = extra;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Money owed = extra.minus(fromBalance);
            Money charged = cost.min(hold.amount()).plus(fromBalance);
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(writes.closeHold(hold.holdId(), HoldItems.SETTLED, charge.at()));
            if (extra.isZero()) {
                items.add(writes.returnFromHold(hold, hold.amount().minus(cost)));
            } else if (owed.isZero()) {
                items.add(writes.takeBeyondHold(hold, extra));
            } else {
                items.add(debts.takeBeyondHoldWithShortfall(hold, fromBalance, owed));
            }
            if (hold.keyBudgeted()) {
                items.add(extra.isZero() ? writes.creditKey(hold.keyHash(), hold.amount().minus(cost))
                        : writes.debitKeyBeyondHold(hold.keyHash(), extra));
            }
            items.add(LedgerItems.append(tables, DynamoBalanceStore.chargeEntry(charge, charged, owed, hold.amount())));
            items.add(writes.countUsage(charge, cost));
            List<CancellationReason> reasons = Transactions.write(dynamo, items);
            if (reasons == null) {
                // Committed: a failed read now must not make the caller retry a settlement that is done.
                return new Settlement(charged, owed, balanceOrNull(hold.accountId()), false);
            }
            if (Transactions.failed(reasons, 0) || Transactions.failed(reasons, items.size() - 2)) {
                return new Settlement(Money.ZERO, Money.ZERO, balanceNow(hold.accountId()), true);
            }
            // The balance cannot cover the cost above the hold, or moved since it was read: take what it holds now.
            fromBalance = extra.min(balanceNow(hold.accountId()).max(Money.ZERO));
        }
        throw new IllegalStateException("hold " + hold.holdId() + ": the balance kept changing; settlement is retried");
    }

    void recordProgress(Hold hold, Charge soFar, boolean due) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":p", Attr.n(soFar.usage().promptTokens()));
        values.put(":c", Attr.n(soFar.usage().completionTokens()));
        values.put(":cost", Attr.money(soFar.cost()));
        values.put(":model", Attr.s(soFar.model()));
        values.put(":status", Attr.s(soFar.status()));
        values.put(":latency", Attr.n(soFar.latencyMs()));
        values.put(":at", Attr.s(soFar.at().toString()));
        values.put(":open", Attr.s(HoldItems.OPEN));
        if (due) {
            values.put(":due", Attr.n(soFar.at().toEpochMilli()));
            values.put(":true", Attr.bool(true));
        }
        try {
            dynamo.updateItem(b -> b.tableName(tables.holds()).key(Map.of("holdId", Attr.s(hold.holdId())))
                    .updateExpression(due ? RECORD_DUE : RECORD_PROGRESS).conditionExpression(due ? RECORD_DUE_IF : RECORD_IF)
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            // The hold is closed already (settled, or reconciled): there is nothing left to record.
        }
    }

    /** The charge last recorded on the hold, read consistently; empty when its request recorded nothing. */
    Optional<Charge> recorded(Hold hold) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.holds())
                .key(Map.of("holdId", Attr.s(hold.holdId()))).consistentRead(true)).item();
        if (item == null || !item.containsKey("progressCost")) {
            return Optional.empty();
        }
        TokenUsage usage = new TokenUsage(Attr.num(item, "progressPrompt"), Attr.num(item, "progressCompletion"), 0, 0, true);
        return Optional.of(new Charge(hold.holdId(), hold.accountId(), hold.keyId(), Attr.str(item, "progressModel"), usage,
                Money.ofMicros(Attr.num(item, "progressCost")), Attr.str(item, "progressStatus"),
                Attr.num(item, "progressLatency"), java.time.Instant.parse(Attr.str(item, "progressAt")), hold.keyName(),
                hold.streamed()));
    }

    private Money balanceOrNull(String accountId) {
        try {
            return balanceNow(accountId);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The balance now, from the same consistent read {@link AccountDebts} makes of the account. */
    private Money balanceNow(String accountId) {
        return debts.read(accountId).map(AccountDebts.State::balance).orElse(Money.ZERO);
    }
}
