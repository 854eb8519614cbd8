package dev.tollgate.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.money.Money;
import dev.tollgate.openai.JsonBodies;
import dev.tollgate.windows.Window;
import dev.tollgate.windows.WindowLimit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a key's {@code limits}: {@code [{"window": "daily", "limit_usd": "1.00"}]}, at most one per window. The
 * list replaces the key's windows whole; {@code []} or {@code null} removes them.
 */
final class KeyLimits {

    private static final String EXAMPLE = "[{\"window\": \"daily\", \"limit_usd\": \"1.00\"}]";

    private KeyLimits() {
    }

    static Change<List<WindowLimit>> parse(JsonNode value) {
        if (value == null) {
            return Change.keep();
        }
        if (value.isNull()) {
            return Change.to(List.of());
        }
        if (!value.isArray()) {
            throw invalid("'limits' must be an array such as " + EXAMPLE + ", or null for none.");
        }
        List<WindowLimit> limits = new ArrayList<>();
        Set<Window> seen = EnumSet.noneOf(Window.class);
        for (int i = 0; i < value.size(); i++) {
            WindowLimit limit = one(value.get(i), i);
            if (!seen.add(limit.window())) {
                throw invalid("'limits' names the " + limit.window().wire() + " window twice; give each window once.");
            }
            limits.add(limit);
        }
        return Change.to(limits);
    }

    private static WindowLimit one(JsonNode entry, int index) {
        String at = "'limits[" + index + "]'";
        if (entry == null || !entry.isObject()) {
            throw invalid(at + " must be an object such as {\"window\": \"daily\", \"limit_usd\": \"1.00\"}.");
        }
        List<String> unknown = new ArrayList<>();
        entry.fieldNames().forEachRemaining(f -> {
            if (!f.equals("window") && !f.equals("limit_usd")) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw invalid(at + " has unrecognized field(s) " + String.join(", ", unknown) + "; use window and limit_usd.");
        }
        JsonNode name = entry.get("window");
        Window window = name == null || !name.isTextual() ? null : Window.fromWire(name.asText()).orElse(null);
        if (window == null) {
            throw invalid(at + ".window must be one of " + Window.names() + ".");
        }
        return new WindowLimit(window, dollars(entry.get("limit_usd"), at));
    }

    private static Money dollars(JsonNode value, String at) {
        String message = at + ".limit_usd must be a dollar amount between \"0.00\" and \"" + KeyRequests.MAX_BUDGET.toDollars()
                + "\" with at most 6 decimals, e.g. \"1.00\".";
        if (value == null || (!value.isTextual() && !value.isNumber())) {
            throw invalid(message);
        }
        Money limit;
        try {
            limit = JsonBodies.dollars(value);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid(message);
        }
        if (limit.isNegative() || KeyRequests.MAX_BUDGET.lessThan(limit)) {
            throw invalid(message);
        }
        return limit;
    }

    private static ApiException invalid(String message) {
        return ApiException.invalid("limits", message);
    }
}
