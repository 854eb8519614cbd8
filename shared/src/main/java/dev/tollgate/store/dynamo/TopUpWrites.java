package dev.tollgate.store.dynamo;

import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.money.Money;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpState;
import dev.tollgate.topups.TopUpStore.Payment;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The conditional writes on top-up orders. The state conditions are what make a credit happen once:
 * only an unpaid order can become paid, a refund only moves the cumulative amount it read, and each
 * dispute and failed refund has its own attribute on the order ({@link TopUpItems#disputeAttribute},
 * {@link TopUpItems#refundFailedAttribute}) whose state a transition is conditioned on.
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
    static final String REFUND = "SET refunded = :total, lastEventId = :evt";
    static final String REFUND_IF = "#state = :paid AND refunded = :seen";
    /** A hold is sized from the refunded and disputed totals it read, so both are conditions. */
    static final String HOLD_DISPUTE = "SET #dispute = :dispute, disputed = :disputed, lastEventId = :evt";
    static final String HOLD_DISPUTE_IF =
            "#state = :paid AND attribute_not_exists(#dispute) AND refunded = :refunded AND disputed = :seen";
    static final String RELEASE_HELD = "SET #dispute.#st = :released, #dispute.releasedBy = :evt, lastEventId = :evt"
            + " ADD disputed :minus";
    static final String RELEASE_HELD_IF = "#dispute.#st = :held";
    /** A release that arrives before any hold: recorded, so that the hold arriving later takes nothing. */
    static final String RELEASE_UNSEEN = "SET #dispute = :dispute, lastEventId = :evt";
    static final String RELEASE_UNSEEN_IF = "attribute_exists(topupId) AND attribute_not_exists(#dispute)";
    static final String RETURN_REFUND = "SET #refund = :refund, refunded = :total, lastEventId = :evt";
    static final String RETURN_REFUND_IF = "#state = :paid AND attribute_not_exists(#refund) AND refunded = :seen";

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

    /** Moves the cumulative refunded amount from {@code seen} to {@code total}. */
    TransactWriteItem refund(String topupId, Money seen, Money total, String eventId) {
        return update(Update.builder().tableName(tables.topups()).key(key(topupId))
                .updateExpression(REFUND).conditionExpression(REFUND_IF)
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":total", Attr.money(total), ":seen", Attr.money(seen),
                        ":evt", Attr.s(eventId), ":paid", Attr.s(TopUpState.PAID.wire()))));
    }

    /** Records the dispute as held with {@code held}, moving the disputed total from {@code seen}. */
    TransactWriteItem holdDispute(TopUp order, String disputeId, Money held, String eventId, String status) {
        return update(Update.builder().tableName(tables.topups()).key(key(order.topupId()))
                .updateExpression(HOLD_DISPUTE).conditionExpression(HOLD_DISPUTE_IF)
                .expressionAttributeNames(Map.of("#state", "state", "#dispute", TopUpItems.disputeAttribute(disputeId)))
                .expressionAttributeValues(Map.of(":dispute", TopUpItems.heldDispute(held, eventId, status),
                        ":disputed", Attr.money(order.disputed().plus(held)), ":seen", Attr.money(order.disputed()),
                        ":refunded", Attr.money(order.refunded()), ":evt", Attr.s(eventId),
                        ":paid", Attr.s(TopUpState.PAID.wire()))));
    }

    /** Marks a held dispute released and takes what it held ({@code held}) off the disputed total. */
    TransactWriteItem releaseHeld(String topupId, String disputeId, Money held, String eventId) {
        return update(Update.builder().tableName(tables.topups()).key(key(topupId))
                .updateExpression(RELEASE_HELD).conditionExpression(RELEASE_HELD_IF)
                .expressionAttributeNames(Map.of("#dispute", TopUpItems.disputeAttribute(disputeId), "#st", "state"))
                .expressionAttributeValues(Map.of(":released", Attr.s(TopUpItems.RELEASED), ":held", Attr.s(TopUpItems.HELD),
                        ":evt", Attr.s(eventId), ":minus", Attr.money(held.negate()))));
    }

    /** Records a dispute released before anything was held for it. */
    TransactWriteItem releaseUnseen(String topupId, String disputeId, String eventId, String status) {
        return update(Update.builder().tableName(tables.topups()).key(key(topupId))
                .updateExpression(RELEASE_UNSEEN).conditionExpression(RELEASE_UNSEEN_IF)
                .expressionAttributeNames(Map.of("#dispute", TopUpItems.disputeAttribute(disputeId)))
                .expressionAttributeValues(Map.of(":dispute", TopUpItems.releasedUnseen(eventId, status),
                        ":evt", Attr.s(eventId))));
    }

    /** Records a failed refund given back, lowering the refunded total from {@code seen} by {@code amount}. */
    TransactWriteItem returnRefund(String topupId, String refundId, Money seen, Money amount, String eventId) {
        return update(Update.builder().tableName(tables.topups()).key(key(topupId))
                .updateExpression(RETURN_REFUND).conditionExpression(RETURN_REFUND_IF)
                .expressionAttributeNames(Map.of("#state", "state", "#refund", TopUpItems.refundFailedAttribute(refundId)))
                .expressionAttributeValues(Map.of(":refund", TopUpItems.refundFailed(amount, eventId),
                        ":total", Attr.money(seen.minus(amount)), ":seen", Attr.money(seen), ":evt", Attr.s(eventId),
                        ":paid", Attr.s(TopUpState.PAID.wire()))));
    }

    /** A ledger entry carrying the Stripe ids as attributes of their own, next to the entry's note. */
    TransactWriteItem ledger(LedgerEntry entry, String eventId, String sessionId, String paymentIntentId) {
        Map<String, AttributeValue> item = new HashMap<>(LedgerItems.toItem(entry));
        item.put("stripeEventId", Attr.s(eventId));
        if (sessionId != null) {
            item.put("stripeSessionId", Attr.s(sessionId));
        }
        if (paymentIntentId != null) {
            item.put("stripePaymentIntentId", Attr.s(paymentIntentId));
        }
        return TransactWriteItem.builder().put(Put.builder().tableName(tables.ledger()).item(item)
                .conditionExpression(LedgerItems.APPEND_CONDITION).build()).build();
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
