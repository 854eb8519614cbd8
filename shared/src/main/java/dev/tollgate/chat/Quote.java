package dev.tollgate.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.money.Money;
import dev.tollgate.openai.SpendControls;
import dev.tollgate.windows.CreditHeaders;
import dev.tollgate.windows.WindowUsage;
import java.util.List;

/**
 * The answer to a dry run ({@code ?dry_run=true}): what the request would hold and which limit would refuse it,
 * worked out exactly as the request itself would be, with no upstream call, no hold, no ledger entry and no
 * window or per-minute counter touched.
 *
 * @param model            the model that would serve first (auto routing's choice for {@code "auto"})
 * @param route            every model that could serve, in the order they would be tried
 * @param routeReason      why auto routing chose the first model, or {@code null} when the request named it
 * @param promptTokens     Tollgate's prompt estimate on the first model (the hold is sized on it)
 * @param maxOutputTokens  the output bound per choice sent upstream (0 for embeddings)
 * @param choices          how many completions the upstream would generate
 * @param clamped          whether a cost ceiling or afford mode lowered {@code maxOutputTokens}
 * @param worstCase        the hold: the most the request can be charged on any model of its route
 * @param pricing          the first model's prices
 * @param overCeiling      the 400 the request would get for its cost ceiling, or {@code null}
 */
public record Quote(String model, List<String> route, String routeReason, long promptTokens, long maxOutputTokens,
                    int choices, boolean clamped, Money worstCase, ModelPricing pricing, SpendControls controls,
                    ApiException overCeiling, Headroom headroom) {

    public Quote {
        route = List.copyOf(route);
    }

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("object", "tollgate.quote");
        node.put("model", model);
        route.forEach(node.putArray("route")::add);
        node.put("route_reason", routeReason);
        node.put("prompt_tokens", promptTokens);
        node.put("max_output_tokens", maxOutputTokens);
        node.put("choices", choices);
        if (clamped) {
            node.put("max_tokens_clamped", maxOutputTokens);
        } else {
            node.putNull("max_tokens_clamped");
        }
        money(node, "worst_case_cost", worstCase);
        ObjectNode prices = node.putObject("pricing");
        prices.put("input_per_million_usd", pricing.input().dollarsPerMillion());
        prices.put("output_per_million_usd", pricing.output().dollarsPerMillion());
        money(node, "max_cost", controls.maxCost());
        node.put("afford", controls.clamp() ? "clamp" : "refuse");
        node.set("would_refuse", wouldRefuse(json));
        ObjectNode room = node.putObject("headroom");
        money(room, "available", headroom.available());
        money(room, "balance", headroom.balance());
        money(room, "key_budget_remaining", headroom.keyBudget());
        ObjectNode windows = room.putObject("windows");
        for (WindowUsage window : headroom.windows()) {
            ObjectNode w = windows.putObject(window.window().window().wire());
            money(w, "limit", window.limit());
            money(w, "remaining", window.remaining());
            w.put("reset", CreditHeaders.reset(window.reset()));
        }
        return node;
    }

    /**
     * The first limit that would refuse the hold, in the order the request meets them (the ceiling before anything is
     * held; then balance, key budget, windows), or JSON {@code null}.
     */
    private com.fasterxml.jackson.databind.JsonNode wouldRefuse(ObjectMapper json) {
        ObjectNode refusal = json.createObjectNode();
        if (overCeiling != null) {
            refusal.put("limit", "max_cost");
            refusal.put("status", ErrorCode.INVALID_REQUEST.status());
            refusal.put("param", controls.param());
            money(refusal, "available", controls.maxCost());
            refusal.put("message", overCeiling.getMessage());
            return refusal;
        }
        if (worstCase.isZero()) {
            return json.nullNode();
        }
        if (headroom.balance().lessThan(worstCase)) {
            return refusal(refusal, "balance", 403, headroom.balance());
        }
        if (headroom.keyBudget() != null && headroom.keyBudget().lessThan(worstCase)) {
            return refusal(refusal, "key_budget", 403, headroom.keyBudget());
        }
        for (WindowUsage window : headroom.windows()) {
            if (window.remaining().lessThan(worstCase)) {
                refusal(refusal, "window", 429, window.remaining());
                refusal.put("window", window.window().window().wire());
                refusal.put("reset", CreditHeaders.reset(window.reset()));
                return refusal;
            }
        }
        return json.nullNode();
    }

    private ObjectNode refusal(ObjectNode refusal, String limit, int status, Money available) {
        refusal.put("limit", limit);
        refusal.put("status", status);
        money(refusal, "available", available);
        return refusal;
    }

    /** {@code <name>_usd} (six decimals) and {@code <name>_micros}; both {@code null} for none. */
    private static void money(ObjectNode node, String name, Money amount) {
        if (amount == null) {
            node.putNull(name + "_usd");
            node.putNull(name + "_micros");
        } else {
            node.put(name + "_usd", amount.toDollars());
            node.put(name + "_micros", amount.micros());
        }
    }
}
