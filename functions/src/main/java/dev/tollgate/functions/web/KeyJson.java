package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.money.Money;
import java.time.Instant;

/**
 * The JSON shape of a key in the management API. Never the secret (only {@code POST /v1/keys} adds it,
 * once) and never its hash: the hash is what a lookup is keyed by.
 */
final class KeyJson {

    private KeyJson() {
    }

    static ObjectNode of(ObjectMapper json, ApiKey key, Instant now) {
        ObjectNode node = json.createObjectNode();
        node.put("id", key.keyId());
        node.put("object", "api_key");
        node.put("prefix", key.prefix());
        node.put("name", key.name());
        node.put("role", key.role().wire());
        node.put("status", key.status(now));
        dollars(node, "budget_usd", key.budget());
        node.put("spent_usd", key.spent().toDollars());
        dollars(node, "remaining_usd", key.budgetRemaining());
        ArrayNode models = node.putArray("allowed_models");
        key.allowedModels().stream().sorted().forEach(models::add);
        instant(node, "expires_at", key.expiresAt());
        if (key.rpmLimit() == null) {
            node.putNull("rpm_limit");
        } else {
            node.put("rpm_limit", key.rpmLimit());
        }
        if (key.tpmLimit() == null) {
            node.putNull("tpm_limit");
        } else {
            node.put("tpm_limit", key.tpmLimit());
        }
        WindowJson.limits(node, key.limits());
        node.put("disabled", key.disabled());
        instant(node, "created_at", key.createdAt());
        instant(node, "revoked_at", key.revokedAt());
        return node;
    }

    static void dollars(ObjectNode node, String field, Money amount) {
        if (amount == null) {
            node.putNull(field);
        } else {
            node.put(field, amount.toDollars());
        }
    }

    private static void instant(ObjectNode node, String field, Instant at) {
        if (at == null) {
            node.putNull(field);
        } else {
            node.put(field, at.toString());
        }
    }
}
