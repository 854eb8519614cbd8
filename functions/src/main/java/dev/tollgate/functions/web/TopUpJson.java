package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.topups.TopUp;
import java.time.Instant;

/** The JSON shape of a top-up in the billing API. Dollars are strings with six decimals, like everywhere. */
final class TopUpJson {

    private TopUpJson() {
    }

    static ObjectNode of(ObjectMapper json, TopUp t) {
        ObjectNode node = json.createObjectNode();
        node.put("object", "billing.topup");
        node.put("topup_id", t.topupId());
        node.put("status", t.state().wire());
        node.put("amount_usd", t.amount().toDollars());
        node.put("session_id", t.sessionId());
        node.put("checkout_url", t.checkoutUrl());
        node.put("payment_intent_id", t.paymentIntentId());
        node.put("refunded_usd", t.refunded().toDollars());
        node.put("disputed_usd", t.disputed().toDollars());
        node.put("created_at", time(t.createdAt()));
        node.put("expires_at", time(t.expiresAt()));
        node.put("paid_at", time(t.paidAt()));
        return node;
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }
}
