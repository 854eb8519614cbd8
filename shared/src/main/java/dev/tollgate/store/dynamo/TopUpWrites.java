package dev.tollgate.store.dynamo;

import dev.tollgate.money.Money;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpState;
import dev.tollgate.topups.TopUpStore.Payment;
import dev.tollgate.topups.TopUpStore.ReversalKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The conditional writes on top-up orders. The state conditions are what make a credit happen once:
 * only an unpaid order can become paid, and a reversal only moves the cumulative amount it read.
 */
final class TopUpWrites {

    static final String CREATE_IF = "attribute_not_exists(topupId)";
    static final String ATTACH_SESSION = "SET sessionId = :sid, checkoutUrl = :url";
    static final String ATTACH_EXPIRY = ", expiresAt = :exp";
    static final String ATTACH_SESSION_IF = "attribute_exists(topupId) AND (attribute_not_exists(sessionId) OR sessionId = :sid)";
    static final String MARK_PAID = "SET #state = :paid, paidAt = :at, paidEventId = :evt, sessionId = :sid";
    /** Appended to {@link #MARK_PAID} when the session names its PaymentIntent (it always does once paid). */
    static final String MARK_PAID_INTENT = ", paymentIntentId = :pi";
    static final String UNPAID_IF = "#state IN (:pending, :expired, :failed)";
    static final String CLOSE = "SET #state = :to, reason = :why, lastEventId = :evt";
    static final String REVERSE = "SET #total = :total, lastEventId = :evt";
    static final String REVERSE_IF = "#state = :paid AND #total = :seen";

    private final DynamoTables tables;

    TopUpWrites(DynamoTables tables) {
        this.tables = tables;
    }

    TransactWriteItem create(TopUp order) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tables.topups()).item(TopUpItems.toItem(order))
                .conditionExpression(CREATE_IF).build()).build();
    }

    TransactWriteItem attachSession(String topupId, String sessionId, String url, Instant expiresAt) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":sid", Attr.s(sessionId), ":url", Attr.s(url)));
        if (expiresAt != null) {
            values.put(":exp", Attr.s(expiresAt.toString()));
        }
        return update(Update.builder().tableName(tables.topups()).key(key(topupId))
                .updateExpression(ATTACH_SESSION + (expiresAt == null ? "" : ATTACH_EXPIRY))
                .conditionExpression(ATTACH_SESSION_IF).expressionAttributeValues(values));
    }

    TransactWriteItem markPaid(String topupId, Payment payment) {
        Map<String, AttributeValue> values = unpaidStates();
        values.put(":paid", Attr.s(TopUpState.PAID.wire()));
        values.put(":at", Attr.s(payment.at().toString()));
        values.put(":evt", Attr.s(payment.eventId()));
        values.put(":sid", Attr.s(payment.sessionId()));
        String expression = MARK_PAID;
        if (payment.paymentIntentId() != null) {
            expression += MARK_PAID_INTENT;
            values.put(":pi", Attr.s(payment.paymentIntentId()));
        }
        return update(Update.builder().tableName(tables.topups()).key(key(topupId))
                .updateExpression(expression).conditionExpression(UNPAID_IF)
                .expressionAttributeNames(Map.of("#state", "state")).expressionAttributeValues(values));
    }

    TransactWriteItem close(String topupId, TopUpState to, String eventId, String reason) {
        Map<String, AttributeValue> values = unpaidStates();
        values.put(":to", Attr.s(to.wire()));
        values.put(":why", Attr.s(reason == null ? to.wire() : reason));
        values.put(":evt", Attr.s(eventId == null ? "" : eventId));
        return update(Update.builder().tableName(tables.topups()).key(key(topupId))
                .updateExpression(CLOSE).conditionExpression(UNPAID_IF)
                .expressionAttributeNames(Map.of("#state", "state")).expressionAttributeValues(values));
    }

    /** Moves the cumulative refunded or disputed amount from {@code seen} to {@code total}. */
    TransactWriteItem reverse(String topupId, ReversalKind kind, Money seen, Money total, String eventId) {
        return update(Update.builder().tableName(tables.topups()).key(key(topupId))
                .updateExpression(REVERSE).conditionExpression(REVERSE_IF)
                .expressionAttributeNames(Map.of("#state", "state", "#total", totalAttribute(kind)))
                .expressionAttributeValues(Map.of(":total", Attr.money(total), ":seen", Attr.money(seen),
                        ":evt", Attr.s(eventId), ":paid", Attr.s(TopUpState.PAID.wire()))));
    }

    static String totalAttribute(ReversalKind kind) {
        return kind == ReversalKind.REFUND ? "refunded" : "disputed";
    }

    private static Map<String, AttributeValue> unpaidStates() {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pending", Attr.s(TopUpState.PENDING.wire()));
        values.put(":expired", Attr.s(TopUpState.EXPIRED.wire()));
        values.put(":failed", Attr.s(TopUpState.FAILED.wire()));
        return values;
    }

    static Map<String, AttributeValue> key(String topupId) {
        return Map.of("topupId", Attr.s(topupId));
    }

    private static TransactWriteItem update(Update.Builder update) {
        return TransactWriteItem.builder().update(update.build()).build();
    }
}
