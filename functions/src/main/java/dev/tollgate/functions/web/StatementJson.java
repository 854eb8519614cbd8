package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.ledger.Movement;
import dev.tollgate.ledger.MovementKind;
import dev.tollgate.ledger.Statement;
import dev.tollgate.money.Money;
import java.util.Map;

/**
 * The JSON shape of {@code GET /v1/statement}: the period, its opening and closing balance and debt, the account as it
 * is now, totals by kind, and every movement with the running balance. Public for the console.
 */
public final class StatementJson {

    private StatementJson() {
    }

    public static ObjectNode of(ObjectMapper json, Statement s) {
        ObjectNode node = json.createObjectNode();
        node.put("object", "statement");
        node.put("account_id", s.accountId());
        node.put("currency", "usd");
        node.put("start", s.start().toString());
        node.put("end", s.end().toString());
        node.put("end_is_now", s.endIsNow());
        node.put("as_of", s.asOf().toString());
        RequestJson.money(node, "opening_balance", s.openingBalance());
        RequestJson.money(node, "closing_balance", s.closingBalance());
        RequestJson.money(node, "opening_debt", s.openingDebt());
        RequestJson.money(node, "closing_debt", s.closingDebt());
        ObjectNode now = node.putObject("now");
        RequestJson.money(now, "balance", s.now().balance());
        RequestJson.money(now, "held", s.now().held());
        RequestJson.money(now, "debt", s.now().debt());
        ArrayNode totals = node.putArray("totals");
        for (Map.Entry<MovementKind, Money> total : s.totals().entrySet()) {
            ObjectNode t = totals.addObject();
            t.put("kind", total.getKey().wire());
            RequestJson.money(t, "amount", total.getValue());
        }
        ArrayNode data = node.putArray("data");
        s.lines().forEach(line -> data.add(line(json, line)));
        return node;
    }

    private static ObjectNode line(ObjectMapper json, Statement.Line line) {
        Movement m = line.movement();
        ObjectNode node = json.createObjectNode();
        node.put("id", m.entryId());
        node.put("object", "statement.line");
        node.put("time", m.at().toString());
        node.put("kind", m.kind().wire());
        node.put("description", m.description());
        RequestJson.money(node, "amount", m.amount());
        RequestJson.money(node, "balance", line.balance());
        RequestJson.money(node, "debt_change", m.debtChange());
        RequestJson.money(node, "debt", line.debt());
        node.put("request_id", m.requestId());
        node.put("key_id", m.keyId());
        node.put("model", m.model());
        node.put("reference", m.reference());
        if (m.stripe() == null) {
            node.putNull("stripe");
        } else {
            ObjectNode stripe = node.putObject("stripe");
            stripe.put("event_id", m.stripe().eventId());
            stripe.put("checkout_session_id", m.stripe().checkoutSessionId());
            stripe.put("payment_intent_id", m.stripe().paymentIntentId());
        }
        return node;
    }
}
