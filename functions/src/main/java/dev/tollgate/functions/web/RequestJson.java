package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.ledger.RequestPage;
import dev.tollgate.ledger.RequestRecord;
import dev.tollgate.money.Money;

/**
 * The JSON shape of the request log ({@code GET /v1/requests}, {@code GET /v1/requests/{id}}): money both as a dollar
 * string with six decimals ({@code *_usd}) and as integer micro-dollars ({@code *_micros}). Public so that other
 * pages of the application (the console) render requests the same way.
 */
public final class RequestJson {

    private RequestJson() {
    }

    /** A page: {@code {"object":"list","data":[...],"has_more":..,"next_cursor":..}}. */
    public static ObjectNode page(ObjectMapper json, RequestPage page) {
        ObjectNode node = json.createObjectNode();
        node.put("object", "list");
        ArrayNode data = node.putArray("data");
        page.data().forEach(r -> data.add(of(json, r)));
        node.put("has_more", page.hasMore());
        node.put("next_cursor", page.nextCursor());
        return node;
    }

    public static ObjectNode of(ObjectMapper json, RequestRecord r) {
        ObjectNode node = json.createObjectNode();
        node.put("id", r.requestId());
        node.put("object", "request");
        node.put("created", r.at().getEpochSecond());
        node.put("created_at", r.at().toString());
        node.put("key_id", r.keyId());
        node.put("key_name", r.keyName());
        node.put("model", r.model());
        node.put("route", r.route());
        if (r.streamed() == null) {
            node.putNull("streamed");
        } else {
            node.put("streamed", r.streamed());
        }
        node.put("status", r.status());
        node.put("reconciled", r.reconciled());
        node.put("reversed", r.reversed());
        ObjectNode usage = node.putObject("usage");
        usage.put("prompt_tokens", r.usage().promptTokens());
        usage.put("completion_tokens", r.usage().completionTokens());
        usage.put("reasoning_tokens", r.usage().reasoningTokens());
        usage.put("cached_tokens", r.usage().cachedTokens());
        usage.put("cache_write_tokens", r.usage().cacheWriteTokens());
        usage.put("total_tokens", r.usage().totalTokens());
        usage.put("counted_by", r.usage().counted() ? "tollgate" : "upstream");
        money(node, "cost", r.cost());
        money(node, "charged", r.charged());
        money(node, "hold", r.hold());
        money(node, "shortfall", r.shortfall());
        node.put("latency_ms", r.latencyMs());
        return node;
    }

    /** {@code <name>_usd} and {@code <name>_micros}; both {@code null} for an unknown amount. */
    static void money(ObjectNode node, String name, Money amount) {
        if (amount == null) {
            node.putNull(name + "_usd");
            node.putNull(name + "_micros");
        } else {
            node.put(name + "_usd", amount.toDollars());
            node.put(name + "_micros", amount.micros());
        }
    }
}
