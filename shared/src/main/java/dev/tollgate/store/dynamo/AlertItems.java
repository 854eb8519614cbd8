package dev.tollgate.store.dynamo;

import dev.tollgate.alerts.Alert;
import dev.tollgate.alerts.AlertKind;
import dev.tollgate.alerts.AlertSettings;
import dev.tollgate.alerts.Delivery;
import dev.tollgate.autotopup.AutoTopUp;
import dev.tollgate.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Items of the {@code alerts} table, keyed ({@code accountId}, {@code itemId}): {@code autotopup} and {@code settings}
 * (one each per account, versioned), {@code mark#...} (once-per-crossing marks), {@code alert#<at>#<id>} and
 * {@code delivery#<at>#<id>} (expire after {@link #KEEP} through the {@code ttl} attribute). Items with work due carry
 * {@code dueShard} and {@code dueAt} (epoch ms), which only they have: the sparse index {@code dueByTime}.
 */
final class AlertItems {

    static final Duration KEEP = Duration.ofDays(90);
    static final String AUTO_TOPUP = "autotopup";
    static final String SETTINGS = "settings";
    static final String DUE_AUTO_TOPUP = "autotopup";
    static final String DUE_DELIVERY = "delivery";

    private AlertItems() {
    }

    static Map<String, AttributeValue> key(String accountId, String itemId) {
        return Map.of("accountId", Attr.s(accountId), "itemId", Attr.s(itemId));
    }

    static Map<String, AttributeValue> autoTopUp(AutoTopUp a, long version) {
        Map<String, AttributeValue> item = new HashMap<>(key(a.accountId(), AUTO_TOPUP));
        item.put("version", Attr.n(version));
        item.put("enabled", Attr.bool(a.enabled()));
        item.put("threshold", Attr.money(a.threshold()));
        item.put("amount", Attr.money(a.amount()));
        item.put("dailyCap", Attr.money(a.dailyCap()));
        item.put("armed", Attr.bool(a.armed()));
        item.put("crossing", Attr.n(a.crossing()));
        item.put("dayTotal", Attr.money(a.dayTotal()));
        put(item, "day", a.day());
        put(item, "customerId", a.customerId());
        put(item, "paymentMethodId", a.paymentMethodId());
        put(item, "status", a.status());
        put(item, "reason", a.reason());
        put(item, "lastTopupId", a.lastTopupId());
        put(item, "updatedAt", a.updatedAt() == null ? null : a.updatedAt().toString());
        if (a.dueAt() != null) {
            item.put("dueShard", Attr.s(DUE_AUTO_TOPUP));
            item.put("dueAt", Attr.n(a.dueAt().toEpochMilli()));
        }
        return item;
    }

    static AutoTopUp autoTopUp(Map<String, AttributeValue> i) {
        return new AutoTopUp(Attr.str(i, "accountId"), Attr.flag(i, "enabled"), Attr.moneyOrNull(i, "threshold"),
                Attr.moneyOrNull(i, "amount"), Attr.moneyOrNull(i, "dailyCap"), Attr.flag(i, "armed"), Attr.num(i, "crossing"),
                Attr.num(i, "version"), Attr.str(i, "day"), Attr.moneyOrNull(i, "dayTotal"), Attr.str(i, "customerId"),
                Attr.str(i, "paymentMethodId"), Attr.str(i, "status"), Attr.str(i, "reason"), Attr.str(i, "lastTopupId"),
                Attr.instant(i, "updatedAt"), i.containsKey("dueAt") ? Instant.ofEpochMilli(Attr.num(i, "dueAt")) : null);
    }

    static Map<String, AttributeValue> settings(AlertSettings s, long version) {
        Map<String, AttributeValue> item = new HashMap<>(key(s.accountId(), SETTINGS));
        item.put("version", Attr.n(version));
        item.put("lowBalanceArmed", Attr.bool(s.lowBalanceArmed()));
        put(item, "url", s.url());
        put(item, "secret", s.secret());
        if (s.lowBalance() != null) {
            item.put("lowBalance", Attr.money(s.lowBalance()));
        }
        put(item, "updatedAt", s.updatedAt() == null ? null : s.updatedAt().toString());
        return item;
    }

    static AlertSettings settings(Map<String, AttributeValue> i) {
        return new AlertSettings(Attr.str(i, "accountId"), Attr.str(i, "url"), Attr.str(i, "secret"),
                Attr.moneyOrNull(i, "lowBalance"), Attr.flag(i, "lowBalanceArmed"), Attr.num(i, "version"),
                Attr.instant(i, "updatedAt"));
    }

    static Map<String, AttributeValue> alert(Alert a) {
        Map<String, AttributeValue> item = new HashMap<>(key(a.accountId(), "alert#" + a.at() + "#" + a.alertId()));
        item.put("alertId", Attr.s(a.alertId()));
        item.put("kind", Attr.s(a.kind().wire()));
        item.put("at", Attr.s(a.at().toString()));
        item.put("message", Attr.s(a.message()));
        put(item, "subject", a.subject());
        Map<String, AttributeValue> data = new HashMap<>();
        a.data().forEach((k, v) -> data.put(k, Attr.s(v)));
        item.put("data", AttributeValue.fromM(data));
        item.put("ttl", Attr.n(a.at().plus(KEEP).getEpochSecond()));
        return item;
    }

    static Alert alert(Map<String, AttributeValue> i) {
        Map<String, String> data = new HashMap<>();
        if (i.containsKey("data") && i.get("data").hasM()) {
            i.get("data").m().forEach((k, v) -> data.put(k, v.s()));
        }
        return new Alert(Attr.str(i, "alertId"), Attr.str(i, "accountId"),
                AlertKind.valueOf(Attr.str(i, "kind").toUpperCase(java.util.Locale.ROOT)), Attr.instant(i, "at"),
                Attr.str(i, "subject"), Attr.str(i, "message"), data);
    }

    static Map<String, AttributeValue> delivery(Delivery d) {
        Map<String, AttributeValue> item = new HashMap<>(key(d.accountId(), "delivery#" + d.createdAt() + "#" + d.deliveryId()));
        item.put("deliveryId", Attr.s(d.deliveryId()));
        item.put("alertId", Attr.s(d.alertId()));
        item.put("kind", Attr.s(d.kind()));
        item.put("url", Attr.s(d.url()));
        item.put("body", Attr.s(d.body()));
        item.put("state", Attr.s(d.state()));
        item.put("createdAt", Attr.s(d.createdAt().toString()));
        item.put("attempts", AttributeValue.fromL(d.attempts().stream().map(a -> {
            Map<String, AttributeValue> m = new HashMap<>(Map.of("at", Attr.s(a.at().toString()), "status", Attr.n(a.status())));
            put(m, "error", a.error());
            return AttributeValue.fromM(m);
        }).toList()));
        if (d.nextAt() != null) {
            item.put("dueShard", Attr.s(DUE_DELIVERY));
            item.put("dueAt", Attr.n(d.nextAt().toEpochMilli()));
        }
        item.put("ttl", Attr.n(d.createdAt().plus(KEEP).getEpochSecond()));
        return item;
    }

    static Delivery delivery(Map<String, AttributeValue> i) {
        List<Delivery.Attempt> attempts = !i.containsKey("attempts") ? List.of() : i.get("attempts").l().stream()
                .map(v -> new Delivery.Attempt(Attr.instant(v.m(), "at"), (int) Attr.num(v.m(), "status"),
                        Attr.str(v.m(), "error"))).toList();
        return new Delivery(Attr.str(i, "deliveryId"), Attr.str(i, "accountId"), Attr.str(i, "alertId"), Attr.str(i, "kind"),
                Attr.str(i, "url"), Attr.str(i, "body"), Attr.str(i, "state"), attempts, Attr.instant(i, "createdAt"),
                i.containsKey("dueAt") ? Instant.ofEpochMilli(Attr.num(i, "dueAt")) : null);
    }

    private static void put(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, Attr.s(value));
        }
    }

    static Money orZero(Money m) {
        return m == null ? Money.ZERO : m;
    }
}
