package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.alerts.Alert;
import dev.tollgate.alerts.AlertSettings;
import dev.tollgate.alerts.Delivery;
import dev.tollgate.autotopup.AutoTopUp;
import dev.tollgate.money.Money;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The JSON of auto top-up and alerts (AlertSchemas documents it). */
final class AlertJson {

    private AlertJson() {
    }

    static ObjectNode of(ObjectMapper json, AutoTopUp a, java.time.Instant now) {
        ObjectNode node = json.createObjectNode();
        node.put("object", "billing.auto_topup");
        node.put("enabled", a.enabled());
        node.put("threshold_usd", a.threshold().toDollars());
        node.put("amount_usd", a.amount().toDollars());
        node.put("daily_cap_usd", a.dailyCap().toDollars());
        node.put("armed", a.armed());
        node.put("payment_method_saved", a.hasPaymentMethod());
        boolean today = LocalDate.ofInstant(now, ZoneOffset.UTC).toString().equals(a.day());
        node.put("today_usd", (today ? a.dayTotal() : Money.ZERO).toDollars());
        node.put("last_result", a.status());
        node.put("reason", a.reason());
        node.put("last_topup_id", a.lastTopupId());
        return node;
    }

    static ObjectNode of(ObjectMapper json, AlertSettings s, boolean showSecret) {
        ObjectNode node = json.createObjectNode();
        node.put("object", "alert_settings");
        node.put("url", s.url());
        node.put("low_balance_usd", s.lowBalance() == null ? null : s.lowBalance().toDollars());
        node.put("signing_secret_set", s.secret() != null);
        if (showSecret) {
            node.put("signing_secret", s.secret());
        }
        return node;
    }

    static ObjectNode of(ObjectMapper json, Alert a) {
        ObjectNode node = json.createObjectNode();
        node.put("id", a.alertId());
        node.put("type", a.kind().wire());
        node.put("created_at", a.at().toString());
        node.put("subject", a.subject());
        node.put("message", a.message());
        ObjectNode data = node.putObject("data");
        a.data().forEach(data::put);
        return node;
    }

    static ObjectNode of(ObjectMapper json, Delivery d) {
        ObjectNode node = json.createObjectNode();
        node.put("id", d.deliveryId());
        node.put("alert_id", d.alertId());
        node.put("type", d.kind());
        node.put("url", d.url());
        node.put("status", d.state());
        node.put("next_attempt_at", "pending".equals(d.state()) && d.nextAt() != null ? d.nextAt().toString() : null);
        ArrayNode attempts = node.putArray("attempts");
        d.attempts().forEach(a -> attempts.addObject().put("at", a.at().toString()).put("status", a.status())
                .put("error", a.error()));
        return node;
    }

    static ObjectNode list(ObjectMapper json, java.util.List<ObjectNode> items) {
        ObjectNode node = json.createObjectNode();
        node.put("object", "list");
        node.putArray("data").addAll(items);
        return node;
    }
}
