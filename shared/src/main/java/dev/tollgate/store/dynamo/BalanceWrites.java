package dev.tollgate.store.dynamo;

import dev.tollgate.billing.Charge;
import dev.tollgate.billing.Hold;
import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The conditional writes that move money, one method per item change. The expressions are constants
 * so a test can pin each one: loosening a condition here is how money would be lost.
 */
final class BalanceWrites {

    static final String DEBIT_ACCOUNT = "SET balance = balance - :amount";
    static final String DEBIT_ACCOUNT_IF = "attribute_exists(accountId) AND balance >= :amount";
    static final String CREDIT_ACCOUNT = "ADD balance :amount";
    static final String CREDIT_ACCOUNT_IF = "attribute_exists(accountId)";
    /**
     * The account's {@code held} total follows its open holds in the same update that moves the balance (no extra
     * write): reserving adds the hold to it, closing the hold takes it out. So the ledger, whose entries are written
     * when holds close, always sums to {@code balance + held} (the statement reads both from one item).
     */
    static final String HOLD_ON_ACCOUNT = "SET balance = balance - :amount ADD held :amount";
    /** Closing a hold that cost at most what it held: the rest comes back, the hold leaves the held total. */
    static final String RETURN_FROM_HOLD = "ADD balance :amount, held :unheld";
    /** Closing a hold that cost more than it held, when the balance covers the rest (condition {@link #DEBIT_ACCOUNT_IF}). */
    static final String TAKE_BEYOND_HOLD = "SET balance = balance - :amount ADD held :unheld";
    /**
     * Every hold and direct charge moves the key's own item, so that the key's state where the money moves binds
     * every instance at once, whatever each one has cached: a key revoked, disabled or expired, or whose budget
     * was lowered, on one instance cannot spend on another. {@code remaining} only means something while the key
     * has a {@code budget} (a budget change sets it from {@code spent}).
     */
    static final String DEBIT_KEY = "ADD spent :amount, remaining :negative";
    static final String DEBIT_KEY_IF = "attribute_exists(keyHash) AND attribute_not_exists(revokedAt)"
            + " AND (attribute_not_exists(disabled) OR disabled = :false)"
            + " AND (attribute_not_exists(expiresAtMs) OR expiresAtMs > :now)"
            + " AND (attribute_not_exists(budget) OR remaining >= :amount)";
    /** Usage above a hold, taken from the key whatever is left of its budget: the account owes what its balance cannot pay. */
    static final String DEBIT_KEY_BEYOND_HOLD_IF = "attribute_exists(keyHash)";
    static final String CREDIT_KEY = "ADD remaining :amount, spent :negative";
    static final String CREDIT_KEY_IF = "attribute_exists(keyHash)";
    static final String OPEN_HOLD_IF = "attribute_not_exists(holdId)";
    static final String CLOSE_HOLD = "SET #state = :closed, closedAt = :at REMOVE openShard";
    static final String CLOSE_HOLD_IF = "#state = :open";
    static final String COUNT_USAGE = "ADD requests :one, promptTokens :p, completionTokens :c, costMicros :cost"
            + " SET #day = :day, model = :model";
    /** Takes a reversed charge's tokens and cost back out of the counters; the request itself still counts. */
    static final String UNCOUNT_USAGE = "ADD promptTokens :p, completionTokens :c, costMicros :cost";

    private final DynamoTables tables;

    BalanceWrites(DynamoTables tables) {
        this.tables = tables;
    }

    /** Takes {@code amount} from the balance only if it covers it; on failure DynamoDB returns the old item. */
    TransactWriteItem debitAccount(String accountId, Money amount, boolean returnOld) {
        return update(Update.builder().tableName(tables.accounts())
                .key(Map.of("accountId", Attr.s(accountId)))
                .updateExpression(DEBIT_ACCOUNT).conditionExpression(DEBIT_ACCOUNT_IF)
                .expressionAttributeValues(Map.of(":amount", Attr.money(amount)))
                .returnValuesOnConditionCheckFailure(returnOld ? ReturnValuesOnConditionCheckFailure.ALL_OLD
                        : ReturnValuesOnConditionCheckFailure.NONE));
    }

    /** Gives back what a closing hold did not cost ({@code back}, possibly zero) and takes the hold off the held total. */
    TransactWriteItem returnFromHold(Hold hold, Money back) {
        return update(Update.builder().tableName(tables.accounts())
                .key(Map.of("accountId", Attr.s(hold.accountId())))
                .updateExpression(RETURN_FROM_HOLD).conditionExpression(CREDIT_ACCOUNT_IF)
                .expressionAttributeValues(Map.of(":amount", Attr.money(back), ":unheld", unheld(hold))));
    }

    /** Takes {@code extra} beyond a closing hold, only if the balance covers it; on failure returns the old item. */
    TransactWriteItem takeBeyondHold(Hold hold, Money extra) {
        return update(Update.builder().tableName(tables.accounts())
                .key(Map.of("accountId", Attr.s(hold.accountId())))
                .updateExpression(TAKE_BEYOND_HOLD).conditionExpression(DEBIT_ACCOUNT_IF)
                .expressionAttributeValues(Map.of(":amount", Attr.money(extra), ":unheld", unheld(hold)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    }

    /** What closing {@code hold} takes off the held total: nothing for a hold taken before the total existed. */
    static AttributeValue unheld(Hold hold) {
        return Attr.money(hold.inHeldTotal() ? hold.amount().negate() : Money.ZERO);
    }

    TransactWriteItem creditAccount(String accountId, Money amount) {
        return update(Update.builder().tableName(tables.accounts())
                .key(Map.of("accountId", Attr.s(accountId)))
                .updateExpression(CREDIT_ACCOUNT).conditionExpression(CREDIT_ACCOUNT_IF)
                .expressionAttributeValues(Map.of(":amount", Attr.money(amount))));
    }

    /**
     * Takes {@code amount} from a key, only if the key is usable at {@code now} and its budget (if it has one)
     * covers it; on failure DynamoDB returns the old item when {@code returnOld}, which says which of these failed.
     */
    TransactWriteItem debitKey(String keyHash, Money amount, Instant now, boolean returnOld) {
        return update(Update.builder().tableName(tables.keys())
                .key(Map.of("keyHash", Attr.s(keyHash)))
                .updateExpression(DEBIT_KEY).conditionExpression(DEBIT_KEY_IF)
                .expressionAttributeValues(Map.of(":amount", Attr.money(amount), ":negative", Attr.money(amount.negate()),
                        ":false", Attr.bool(false), ":now", Attr.n(now.toEpochMilli())))
                .returnValuesOnConditionCheckFailure(returnOld ? ReturnValuesOnConditionCheckFailure.ALL_OLD
                        : ReturnValuesOnConditionCheckFailure.NONE));
    }

    /** Usage beyond a hold: taken from the key whatever its state, since it was already delivered. */
    TransactWriteItem debitKeyBeyondHold(String keyHash, Money amount) {
        return update(Update.builder().tableName(tables.keys())
                .key(Map.of("keyHash", Attr.s(keyHash)))
                .updateExpression(DEBIT_KEY).conditionExpression(DEBIT_KEY_BEYOND_HOLD_IF)
                .expressionAttributeValues(Map.of(":amount", Attr.money(amount), ":negative", Attr.money(amount.negate()))));
    }

    TransactWriteItem creditKey(String keyHash, Money amount) {
        return update(Update.builder().tableName(tables.keys())
                .key(Map.of("keyHash", Attr.s(keyHash)))
                .updateExpression(CREDIT_KEY).conditionExpression(CREDIT_KEY_IF)
                .expressionAttributeValues(Map.of(":amount", Attr.money(amount), ":negative", Attr.money(amount.negate()))));
    }

    TransactWriteItem openHold(Hold hold) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tables.holds())
                .item(HoldItems.toItem(hold)).conditionExpression(OPEN_HOLD_IF).build()).build();
    }

    /** Closes an open hold; fails if it was already settled or released, which makes settlement once-only. */
    TransactWriteItem closeHold(String holdId, String closedState, Instant at) {
        return update(Update.builder().tableName(tables.holds())
                .key(Map.of("holdId", Attr.s(holdId)))
                .updateExpression(CLOSE_HOLD).conditionExpression(CLOSE_HOLD_IF)
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":closed", Attr.s(closedState), ":at", Attr.s(at.toString()),
                        ":open", Attr.s(HoldItems.OPEN))));
    }

    TransactWriteItem countUsage(Charge charge, Money charged) {
        String day = DynamoBalanceStore.day(charge.at());
        return update(Update.builder().tableName(tables.usage())
                .key(Map.of("accountId", Attr.s(charge.accountId()), "dayModel", Attr.s(day + "#" + charge.model())))
                .updateExpression(COUNT_USAGE)
                .expressionAttributeNames(Map.of("#day", "day"))
                .expressionAttributeValues(Map.of(":one", Attr.n(1), ":p", Attr.n(charge.usage().promptTokens()),
                        ":c", Attr.n(charge.usage().completionTokens()), ":cost", Attr.money(charged),
                        ":day", Attr.s(day), ":model", Attr.s(charge.model()))));
    }

    /** The opposite of {@link #countUsage} for a reversed charge, except the request count. */
    TransactWriteItem uncountUsage(Charge charge, Money charged) {
        String day = DynamoBalanceStore.day(charge.at());
        return update(Update.builder().tableName(tables.usage())
                .key(Map.of("accountId", Attr.s(charge.accountId()), "dayModel", Attr.s(day + "#" + charge.model())))
                .updateExpression(UNCOUNT_USAGE)
                .expressionAttributeValues(Map.of(":p", Attr.n(-charge.usage().promptTokens()),
                        ":c", Attr.n(-charge.usage().completionTokens()), ":cost", Attr.money(charged.negate()))));
    }

    /** Batched counters of requests that moved no money: the same ADD as {@link #countUsage}, outside a transaction. */
    software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest addUsage(dev.tollgate.billing.UsageDelta delta) {
        return software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest.builder().tableName(tables.usage())
                .key(Map.of("accountId", Attr.s(delta.accountId()), "dayModel", Attr.s(delta.day() + "#" + delta.model())))
                .updateExpression(COUNT_USAGE)
                .expressionAttributeNames(Map.of("#day", "day"))
                .expressionAttributeValues(Map.of(":one", Attr.n(delta.requests()), ":p", Attr.n(delta.promptTokens()),
                        ":c", Attr.n(delta.completionTokens()), ":cost", Attr.n(delta.costMicros()),
                        ":day", Attr.s(delta.day()), ":model", Attr.s(delta.model())))
                .build();
    }

    private static TransactWriteItem update(Update.Builder update) {
        return TransactWriteItem.builder().update(update.build()).build();
    }
}
