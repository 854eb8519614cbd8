package dev.tollgate.store.dynamo;

import dev.tollgate.billing.RateExceededException;
import dev.tollgate.billing.RequestRate;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A key's per-minute counter outside a transaction: a free request's one conditional write, and the tokens it
 * gives back after it ran (paid requests count inside their reserve and settle transactions instead).
 */
final class DynamoRateCounter {

    private final DynamoDbClient dynamo;
    private final CounterItems items;

    DynamoRateCounter(DynamoDbClient dynamo, CounterItems items) {
        this.dynamo = dynamo;
        this.items = items;
    }

    String count(RequestRate rate, Instant now) {
        Instant reset = CounterItems.minuteStart(now).plus(CounterItems.MINUTE);
        if (rate.tpm() != null && rate.countedTokens() > rate.tpm()) {
            throw new RateExceededException(RateExceededException.Limit.TOKENS, rate.tpm(), reset);
        }
        try {
            dynamo.updateItem(items.countRateAlone(rate, now));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.item();
            boolean requests = rate.rpm() != null && old != null && old.containsKey("requests")
                    && Attr.num(old, "requests") >= rate.rpm();
            throw new RateExceededException(requests ? RateExceededException.Limit.REQUESTS
                    : RateExceededException.Limit.TOKENS, requests ? rate.rpm() : rate.tpm(), reset);
        }
        return CounterItems.rateId(rate.keyId(), CounterItems.minuteStart(now));
    }

    void giveBack(String rateItem, long unusedTokens) {
        if (unusedTokens == 0) {
            return;
        }
        TransactWriteItem item = items.adjustRate(rateItem, -unusedTokens);
        dynamo.updateItem(b -> b.tableName(item.update().tableName()).key(item.update().key())
                .updateExpression(item.update().updateExpression())
                .expressionAttributeValues(item.update().expressionAttributeValues()));
    }
}
