package dev.tollgate.store.dynamo;

import dev.tollgate.billing.RequestRate;
import dev.tollgate.money.Money;
import dev.tollgate.windows.SpendWindow;
import dev.tollgate.windows.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The counters a hold is counted in besides the balance, as items of the holds table (beside the holds, like the
 * stream leases): one per spend window period ({@code window#<scope>#<owner>#<window>#<start>}, {@code used} in µ$),
 * the pointer to each owner's open session ({@code session#<scope>#<owner>}, {@code sessionStart} in ms), and one
 * per key and minute ({@code rate#key#<keyId>#<minute>}, {@code requests} and {@code tokens}). DynamoDB's TTL
 * deletes each a while after its period ended. A condition cannot do arithmetic, so the largest {@code used} that
 * still takes a hold ({@code limit - hold}) is computed here and compared. The expressions are pinned by a test.
 */
final class CounterItems {

    static final String COUNT_WINDOW = "ADD used :amount SET #ttl = :ttl, windowEnd = :end";
    static final String COUNT_WINDOW_IF = "attribute_not_exists(used) OR used <= :max";
    /** A settlement's correction: what the hold did not use comes back (a charge above the hold adds the rest). */
    static final String ADJUST_WINDOW = "ADD used :delta";
    /**
     * Joins the open session ({@code :start} is the one this instance believes open), or opens one at {@code :start}
     * when the last ended; two requests opening a session at once cannot both win, the loser learns the winner's start
     * from the failed condition and counts in that session.
     */
    static final String OPEN_SESSION = "SET sessionStart = :start, #ttl = :ttl";
    static final String OPEN_SESSION_IF = "attribute_not_exists(sessionStart) OR sessionStart = :start"
            + " OR sessionStart <= :staleBefore";
    static final String COUNT_RATE = "ADD requests :one, tokens :tokens SET #ttl = :ttl";
    static final String COUNT_RATE_RPM_IF = "attribute_not_exists(requests) OR requests < :rpm";
    static final String COUNT_RATE_TPM_IF = "attribute_not_exists(requests) OR tokens <= :tpmMax";
    static final String COUNT_RATE_BOTH_IF = "attribute_not_exists(requests) OR (requests < :rpm AND tokens <= :tpmMax)";
    static final String ADJUST_RATE = "ADD tokens :delta";

    /** Items outlive their period by this much, so a late settlement still finds the item it corrects. */
    static final Duration RETENTION = Duration.ofDays(2);
    static final Duration MINUTE = Duration.ofMinutes(1);

    private final DynamoTables tables;

    CounterItems(DynamoTables tables) {
        this.tables = tables;
    }

    static String windowId(SpendWindow window, Instant start) {
        return "window#" + window.scope().wire() + "#" + window.owner() + "#" + window.window().wire() + "#" + start;
    }

    static String sessionId(SpendWindow window) {
        return "session#" + window.scope().wire() + "#" + window.owner();
    }

    static String rateId(String keyId, Instant minute) {
        return "rate#key#" + keyId + "#" + minute.getEpochSecond();
    }

    static Instant minuteStart(Instant now) {
        return Instant.ofEpochSecond(now.getEpochSecond() - Math.floorMod(now.getEpochSecond(), 60));
    }

    TransactWriteItem countWindow(String id, Money amount, Money limit, Instant end) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tables.holds())
                .key(Map.of("holdId", Attr.s(id)))
                .updateExpression(COUNT_WINDOW).conditionExpression(COUNT_WINDOW_IF)
                .expressionAttributeNames(Map.of("#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":amount", Attr.money(amount), ":max", Attr.money(limit.minus(amount)),
                        ":ttl", Attr.n(end.plus(RETENTION).getEpochSecond()), ":end", Attr.n(end.toEpochMilli())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
    }

    TransactWriteItem adjustWindow(String id, Money delta) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tables.holds())
                .key(Map.of("holdId", Attr.s(id)))
                .updateExpression(ADJUST_WINDOW)
                .expressionAttributeValues(Map.of(":delta", Attr.money(delta))).build()).build();
    }

    TransactWriteItem openSession(String id, Instant start, Instant now) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tables.holds())
                .key(Map.of("holdId", Attr.s(id)))
                .updateExpression(OPEN_SESSION).conditionExpression(OPEN_SESSION_IF)
                .expressionAttributeNames(Map.of("#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":start", Attr.n(start.toEpochMilli()),
                        ":staleBefore", Attr.n(now.minus(Window.SESSION_LENGTH).toEpochMilli()),
                        ":ttl", Attr.n(Window.SESSION.end(start).plus(RETENTION).getEpochSecond())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
    }

    TransactWriteItem countRate(RequestRate rate, Instant now) {
        return TransactWriteItem.builder().update(rateUpdate(rate, now).returnValuesOnConditionCheckFailure(
                ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
    }

    /** The same count outside a transaction: a free request's one write. */
    UpdateItemRequest countRateAlone(RequestRate rate, Instant now) {
        Update update = rateUpdate(rate, now).build();
        return UpdateItemRequest.builder().tableName(update.tableName()).key(update.key())
                .updateExpression(update.updateExpression()).conditionExpression(update.conditionExpression())
                .expressionAttributeNames(update.expressionAttributeNames())
                .expressionAttributeValues(update.expressionAttributeValues())
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build();
    }

    private Update.Builder rateUpdate(RequestRate rate, Instant now) {
        Instant minute = minuteStart(now);
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> values = new HashMap<>();
        values.put(":one", Attr.n(1));
        values.put(":tokens", Attr.n(rate.countedTokens()));
        values.put(":ttl", Attr.n(minute.plus(MINUTE).plus(RETENTION).getEpochSecond()));
        String condition;
        if (rate.rpm() != null) {
            values.put(":rpm", Attr.n(rate.rpm()));
        }
        if (rate.tpm() != null) {
            values.put(":tpmMax", Attr.n(rate.tpm() - rate.countedTokens()));
        }
        condition = rate.tpm() == null ? COUNT_RATE_RPM_IF : rate.rpm() == null ? COUNT_RATE_TPM_IF : COUNT_RATE_BOTH_IF;
        return Update.builder().tableName(tables.holds())
                .key(Map.of("holdId", Attr.s(rateId(rate.keyId(), minute))))
                .updateExpression(COUNT_RATE).conditionExpression(condition)
                .expressionAttributeNames(Map.of("#ttl", "ttl"))
                .expressionAttributeValues(values);
    }

    /**
     * What a hold's settlement (or release) gives back to the counters it was counted in: the money it did not use to
     * every window item, and the tokens it did not use to its minute; nothing for a counter that comes out even.
     */
    java.util.List<TransactWriteItem> corrections(dev.tollgate.billing.Hold hold, Money cost, long usedTokens) {
        java.util.List<TransactWriteItem> out = new java.util.ArrayList<>();
        Money delta = cost.minus(hold.amount());
        if (!delta.isZero()) {
            hold.counters().windowItems().forEach(id -> out.add(adjustWindow(id, delta)));
        }
        long held = hold.counters().heldTokens();
        if (hold.counters().rateItem() != null && held > 0 && usedTokens != held) {
            out.add(adjustRate(hold.counters().rateItem(), usedTokens - held));
        }
        return out;
    }

    TransactWriteItem adjustRate(String id, long deltaTokens) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tables.holds())
                .key(Map.of("holdId", Attr.s(id)))
                .updateExpression(ADJUST_RATE)
                .expressionAttributeValues(Map.of(":delta", Attr.n(deltaTokens))).build()).build();
    }
}
