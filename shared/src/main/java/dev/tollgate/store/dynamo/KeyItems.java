package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.Attr.flag;
import static dev.tollgate.store.dynamo.Attr.instant;
import static dev.tollgate.store.dynamo.Attr.moneyOrNull;
import static dev.tollgate.store.dynamo.Attr.str;

import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.money.Money;
import dev.tollgate.windows.Window;
import dev.tollgate.windows.WindowLimit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.HashSet;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps {@link ApiKey} to and from its item in the keys table. A key with a budget also carries
 * {@code remaining} (= budget − spent), because a condition expression cannot do arithmetic: holds test
 * {@code remaining >= :amount}.
 */
final class KeyItems {

    private KeyItems() {
    }

    static Map<String, AttributeValue> toItem(ApiKey key) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("keyHash", Attr.s(key.secretHash()));
        item.put("keyId", Attr.s(key.keyId()));
        item.put("accountId", Attr.s(key.accountId()));
        item.put("prefix", Attr.s(key.prefix()));
        item.put("role", Attr.s(key.role().wire()));
        item.put("spent", Attr.money(key.spent()));
        item.put("disabled", Attr.bool(key.disabled()));
        item.put("createdAt", Attr.s(key.createdAt().toString()));
        if (key.name() != null) {
            item.put("name", Attr.s(key.name()));
        }
        if (key.budget() != null) {
            item.put("budget", Attr.money(key.budget()));
            item.put("remaining", Attr.money(key.budget().minus(key.spent())));
        }
        if (!key.allowedModels().isEmpty()) {
            item.put("models", AttributeValue.fromSs(key.allowedModels().stream().sorted().toList()));
        }
        if (key.expiresAt() != null) {
            item.put("expiresAt", Attr.s(key.expiresAt().toString()));
            item.put("expiresAtMs", Attr.n(key.expiresAt().toEpochMilli()));
        }
        if (key.rpmLimit() != null) {
            item.put("rpm", Attr.n(key.rpmLimit()));
        }
        if (key.revokedAt() != null) {
            item.put("revokedAt", Attr.s(key.revokedAt().toString()));
        }
        if (!key.limits().isEmpty()) {
            item.put("limits", limits(key.limits()));
        }
        if (key.tpmLimit() != null) {
            item.put("tpm", Attr.n(key.tpmLimit()));
        }
        return item;
    }

    static ApiKey fromItem(Map<String, AttributeValue> item) {
        AttributeValue models = item.get("models");
        AttributeValue rpm = item.get("rpm");
        AttributeValue tpm = item.get("tpm");
        Money spent = moneyOrNull(item, "spent");
        return new ApiKey(
                str(item, "keyId"),
                str(item, "accountId"),
                str(item, "keyHash"),
                str(item, "prefix"),
                str(item, "name"),
                KeyRole.fromWire(str(item, "role")),
                moneyOrNull(item, "budget"),
                spent == null ? Money.ZERO : spent,
                models == null ? java.util.Set.of() : new HashSet<>(models.ss()),
                instant(item, "expiresAt"),
                flag(item, "disabled"),
                rpm == null ? null : Integer.valueOf(rpm.n()),
                instant(item, "createdAt"),
                instant(item, "revokedAt"),
                limits(item.get("limits")),
                tpm == null ? null : Integer.valueOf(tpm.n()));
    }

    /** A key's spend windows as a map of window name to limit in µ$, e.g. {@code {"daily": 1000000}}. */
    static AttributeValue limits(List<WindowLimit> limits) {
        Map<String, AttributeValue> map = new TreeMap<>();
        limits.forEach(l -> map.put(l.window().wire(), Attr.money(l.limit())));
        return AttributeValue.fromM(map);
    }

    private static List<WindowLimit> limits(AttributeValue stored) {
        if (stored == null || !stored.hasM()) {
            return List.of();
        }
        List<WindowLimit> limits = new ArrayList<>();
        for (Window window : Window.values()) {
            AttributeValue limit = stored.m().get(window.wire());
            if (limit != null) {
                limits.add(new WindowLimit(window, Money.ofMicros(Long.parseLong(limit.n()))));
            }
        }
        return limits;
    }

}
