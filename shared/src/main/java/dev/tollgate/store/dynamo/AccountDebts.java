package dev.tollgate.store.dynamo;

import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * An account's {@code debt} (µ$): what refunds and lost disputes took back beyond its balance. A balance
 * never goes below zero, so the rest is recorded here; while it is above zero the account's keys cannot
 * reserve money, and credits pay it first. Like {@link BalanceWrites}, the expressions are constants a
 * test pins.
 */
final class AccountDebts {

    /** The reserve-time debit: like {@link BalanceWrites#DEBIT_ACCOUNT_IF}, and refused while the account owes money. */
    static final String DEBIT_UNLESS_IN_DEBT_IF =
            "attribute_exists(accountId) AND balance >= :amount AND (attribute_not_exists(debt) OR debt <= :zero)";
    /** Closing a hold that cost more than it held and more than the balance: {@link #DEBIT_WITH_SHORTFALL}, and the hold leaves the held total. */
    static final String TAKE_BEYOND_HOLD_WITH_SHORTFALL = "SET balance = balance - :taken ADD debt :shortfall, held :unheld";
    /** A credit to an account that owes nothing (as read); {@link BalanceWrites#CREDIT_ACCOUNT} is the update. */
    static final String CREDIT_IF_NO_DEBT = "attribute_exists(accountId) AND (attribute_not_exists(debt) OR debt = :zero)";
    /** A credit that first pays the debt that was read: {@code :paid} is negative. */
    static final String CREDIT_PAYING_DEBT = "ADD balance :net, debt :paid";
    static final String CREDIT_PAYING_DEBT_IF = "attribute_exists(accountId) AND debt = :debt";
    /** A debit beyond the balance: takes exactly the balance that was read and owes the rest. */
    static final String DEBIT_WITH_SHORTFALL = "SET balance = balance - :taken ADD debt :shortfall";
    static final String DEBIT_WITH_SHORTFALL_IF = "attribute_exists(accountId) AND balance = :taken";
    /** Pays the debt that was read from the balance (money that came back after the debt arose). */
    static final String REPAY_FROM_BALANCE = "SET balance = balance - :pay, debt = debt - :pay";
    static final String REPAY_FROM_BALANCE_IF = "attribute_exists(accountId) AND balance >= :pay AND debt = :debt";

    private static final int MAX_ROUNDS = 10;

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;

    AccountDebts(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    /** An account's balance and debt, read consistently. */
    record State(Money balance, Money debt) {
    }

    Optional<State> read(String accountId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.accounts())
                .key(key(accountId)).consistentRead(true).projectionExpression("balance, debt")).item();
        return item == null || item.isEmpty() ? Optional.empty()
                : Optional.of(new State(Money.ofMicros(Attr.num(item, "balance")), Money.ofMicros(Attr.num(item, "debt"))));
    }

    /** Takes {@code amount} unless the balance is short or the account owes money; on failure returns the old item. */
    TransactWriteItem debitUnlessInDebt(String accountId, Money amount) {
        return update(Update.builder().tableName(tables.accounts()).key(key(accountId))
                .updateExpression(BalanceWrites.DEBIT_ACCOUNT).conditionExpression(DEBIT_UNLESS_IN_DEBT_IF)
                .expressionAttributeValues(Map.of(":amount", Attr.money(amount), ":zero", Attr.n(0)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    }

    /** Reserves {@code amount} for a hold ({@link BalanceWrites#HOLD_ON_ACCOUNT}) on the terms of {@link #debitUnlessInDebt}. */
    TransactWriteItem holdUnlessInDebt(String accountId, Money amount) {
        return update(Update.builder().tableName(tables.accounts()).key(key(accountId))
                .updateExpression(BalanceWrites.HOLD_ON_ACCOUNT).conditionExpression(DEBIT_UNLESS_IN_DEBT_IF)
                .expressionAttributeValues(Map.of(":amount", Attr.money(amount), ":zero", Attr.n(0)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    }

    /** Credits {@code amount}, of which {@code paid} pays {@code seenDebt}; fails if the debt changed since it was read. */
    TransactWriteItem credit(String accountId, Money amount, Money paid, Money seenDebt) {
        if (paid.isZero()) {
            return update(Update.builder().tableName(tables.accounts()).key(key(accountId))
                    .updateExpression(BalanceWrites.CREDIT_ACCOUNT).conditionExpression(CREDIT_IF_NO_DEBT)
                    .expressionAttributeValues(Map.of(":amount", Attr.money(amount), ":zero", Attr.n(0))));
        }
        return update(Update.builder().tableName(tables.accounts()).key(key(accountId))
                .updateExpression(CREDIT_PAYING_DEBT).conditionExpression(CREDIT_PAYING_DEBT_IF)
                .expressionAttributeValues(Map.of(":net", Attr.money(amount.minus(paid)), ":paid", Attr.money(paid.negate()),
                        ":debt", Attr.money(seenDebt))));
    }

    /** Takes {@code taken} (the whole balance as read) and adds {@code shortfall} to the debt. */
    TransactWriteItem debitWithShortfall(String accountId, Money taken, Money shortfall) {
        return update(Update.builder().tableName(tables.accounts()).key(key(accountId))
                .updateExpression(DEBIT_WITH_SHORTFALL).conditionExpression(DEBIT_WITH_SHORTFALL_IF)
                .expressionAttributeValues(Map.of(":taken", Attr.money(taken), ":shortfall", Attr.money(shortfall))));
    }

    /** Closes {@code hold} taking {@code taken} (the whole balance as read) beyond it and owing {@code shortfall}. */
    TransactWriteItem takeBeyondHoldWithShortfall(dev.tollgate.billing.Hold hold, Money taken, Money shortfall) {
        return update(Update.builder().tableName(tables.accounts()).key(key(hold.accountId()))
                .updateExpression(TAKE_BEYOND_HOLD_WITH_SHORTFALL).conditionExpression(DEBIT_WITH_SHORTFALL_IF)
                .expressionAttributeValues(Map.of(":taken", Attr.money(taken), ":shortfall", Attr.money(shortfall),
                        ":unheld", BalanceWrites.unheld(hold))));
    }

    /**
     * Pays as much of the debt as the balance allows (money returned by settled holds, operator credits),
     * with a ledger entry {@code entryId}. Returns what is still owed: zero for an account in good standing.
     */
    Money repayFromBalance(String accountId, String entryId, Instant at) {
        return repayAndRead(accountId, entryId, at).debt();
    }

    /**
     * {@link #repayFromBalance}, returning the account's balance and what it still owes as they are afterwards:
     * from the one read it needs when nothing is owed (a missing account reads as zero and zero).
     */
    State repayAndRead(String accountId, String entryId, Instant at) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            State state = readOrNothing(accountId);
            Money pay = state.debt().min(state.balance());
            if (!state.debt().isPositive() || !pay.isPositive()) {
                return owing(state);
            }
            LedgerEntry entry = LedgerEntry.of(accountId, entryId, LedgerType.REFUND, pay.negate(), at, null,
                    "pays " + pay.display() + " of the " + state.debt().display() + " owed after refunds or lost disputes")
                    .withDebtChange(pay.negate());
            TransactWriteItem repay = update(Update.builder().tableName(tables.accounts()).key(key(accountId))
                    .updateExpression(REPAY_FROM_BALANCE).conditionExpression(REPAY_FROM_BALANCE_IF)
                    .expressionAttributeValues(Map.of(":pay", Attr.money(pay), ":debt", Attr.money(state.debt()))));
            var reasons = Transactions.write(dynamo, List.of(repay, LedgerItems.append(tables, entry)));
            if (reasons == null || Transactions.failed(reasons, 1)) {
                // Paid now, or by an earlier call with the same entry id: read what is left.
                return owing(readOrNothing(accountId));
            }
        }
        return owing(readOrNothing(accountId));
    }

    private State readOrNothing(String accountId) {
        return read(accountId).orElse(new State(Money.ZERO, Money.ZERO));
    }

    /** The state with a debt below zero (never written, but not trusted) reported as nothing owed. */
    private static State owing(State state) {
        return new State(state.balance(), state.debt().max(Money.ZERO));
    }

    private static Map<String, AttributeValue> key(String accountId) {
        return Map.of("accountId", Attr.s(accountId));
    }

    private static TransactWriteItem update(Update.Builder update) {
        return TransactWriteItem.builder().update(update.build()).build();
    }
}
