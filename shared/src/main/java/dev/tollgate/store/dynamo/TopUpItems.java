package dev.tollgate.store.dynamo;

import dev.tollgate.money.Money;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpState;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps top-up orders to items of the {@code topups} table. Money is µ$ like everywhere else; an order
 * gets {@code paymentIntentId} only when it is paid, which keeps the {@code byPaymentIntent} index sparse.
 *
 * <p>Each dispute of an order is a map attribute {@code dispute:<id>} ({@code state} held or released,
 * {@code amount} held, the Stripe events that moved it), and each failed refund given back is
 * {@code refundFailed:<id>}: one attribute per Stripe object, so its transitions are conditioned on the
 * same item as the order's totals, in one transaction.
 */
final class TopUpItems {

    static final String HELD = "held";
    static final String RELEASED = "released";

    private TopUpItems() {
    }

    static Map<String, AttributeValue> toItem(TopUp t) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("topupId", Attr.s(t.topupId()));
        item.put("accountId", Attr.s(t.accountId()));
        item.put("amount", Attr.money(t.amount()));
        item.put("state", Attr.s(t.state().wire()));
        item.put("createdAt", Attr.s(t.createdAt().toString()));
        item.put("refunded", Attr.money(t.refunded()));
        item.put("disputed", Attr.money(t.disputed()));
        putIfPresent(item, "keyId", t.keyId());
        putIfPresent(item, "sessionId", t.sessionId());
        putIfPresent(item, "checkoutUrl", t.checkoutUrl());
        putIfPresent(item, "expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString());
        putIfPresent(item, "paymentIntentId", t.paymentIntentId());
        putIfPresent(item, "paidAt", t.paidAt() == null ? null : t.paidAt().toString());
        putIfPresent(item, "paidEventId", t.paidEventId());
        putIfPresent(item, "reason", t.reason());
        return item;
    }

    static TopUp fromItem(Map<String, AttributeValue> item) {
        return new TopUp(Attr.str(item, "topupId"), Attr.str(item, "accountId"), Attr.str(item, "keyId"),
                Money.ofMicros(Attr.num(item, "amount")), TopUpState.fromWire(Attr.str(item, "state")),
                Attr.instant(item, "createdAt"), Attr.str(item, "sessionId"), Attr.str(item, "checkoutUrl"),
                Attr.instant(item, "expiresAt"), Attr.str(item, "paymentIntentId"), Attr.instant(item, "paidAt"),
                Attr.str(item, "paidEventId"), Money.ofMicros(Attr.num(item, "refunded")),
                Money.ofMicros(Attr.num(item, "disputed")), Attr.str(item, "reason"));
    }

    static String disputeAttribute(String disputeId) {
        return "dispute:" + disputeId;
    }

    static String refundFailedAttribute(String refundId) {
        return "refundFailed:" + refundId;
    }

    /** A dispute as recorded on its order: {@code held} is what it took (or takes) from the account. */
    record DisputeState(boolean released, Money held) {
    }

    /** The dispute's state on this order item, or null when the order has not heard of it. */
    static DisputeState dispute(Map<String, AttributeValue> item, String disputeId) {
        AttributeValue value = item.get(disputeAttribute(disputeId));
        if (value == null || !value.hasM()) {
            return null;
        }
        return new DisputeState(RELEASED.equals(Attr.str(value.m(), "state")), Money.ofMicros(Attr.num(value.m(), "amount")));
    }

    static boolean refundReturned(Map<String, AttributeValue> item, String refundId) {
        return item.containsKey(refundFailedAttribute(refundId));
    }

    static AttributeValue heldDispute(Money held, String eventId, String status) {
        return AttributeValue.fromM(Map.of("state", Attr.s(HELD), "amount", Attr.money(held), "heldBy", Attr.s(eventId),
                "status", Attr.s(status == null ? "" : status)));
    }

    static AttributeValue releasedUnseen(String eventId, String status) {
        return AttributeValue.fromM(Map.of("state", Attr.s(RELEASED), "amount", Attr.money(Money.ZERO),
                "releasedBy", Attr.s(eventId), "status", Attr.s(status == null ? "" : status)));
    }

    static AttributeValue refundFailed(Money amount, String eventId) {
        return AttributeValue.fromM(Map.of("amount", Attr.money(amount), "returnedBy", Attr.s(eventId)));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, Attr.s(value));
        }
    }
}
