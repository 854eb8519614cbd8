package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.windows.CreditHeaders;
import dev.tollgate.windows.SpendWindow;
import dev.tollgate.windows.WindowLimit;
import dev.tollgate.windows.WindowReport;
import dev.tollgate.windows.WindowUsage;
import java.util.List;

/** The JSON of spend windows in {@code GET /v1/key} and {@code GET /v1/usage}: amounts in µ$ ("credits") and dollars. */
final class WindowJson {

    private WindowJson() {
    }

    /** {@code plan}, {@code windows} (each window of plan and key) and {@code credits} (the tightest, as the headers). */
    static void put(ObjectNode node, WindowReport.Report report) {
        if (report.plan().isPresent()) {
            node.put("plan", report.plan().get().name());
        } else {
            node.putNull("plan");
        }
        ArrayNode windows = node.putArray("windows");
        for (WindowUsage usage : report.all()) {
            ObjectNode window = windows.addObject();
            window.put("window", usage.window().window().wire());
            window.put("scope", usage.window().scope() == SpendWindow.Scope.ACCOUNT ? "plan" : "key");
            window.put("limit_usd", usage.limit().toDollars());
            window.put("limit_credits", usage.limit().micros());
            window.put("used_credits", usage.used().micros());
            window.put("remaining_credits", usage.remaining().micros());
            window.put("reset", CreditHeaders.reset(usage.reset()));
        }
        ObjectNode credits = node.putObject("credits");
        for (WindowUsage usage : report.credits()) {
            ObjectNode window = credits.putObject(usage.window().window().wire());
            window.put("limit_credits", usage.limit().micros());
            window.put("remaining_credits", usage.remaining().micros());
            window.put("reset", CreditHeaders.reset(usage.reset()));
        }
    }

    /** A key's own limits as the key API takes them: {@code [{"window": "daily", "limit_usd": "1.000000"}]}. */
    static void limits(ObjectNode node, List<WindowLimit> limits) {
        ArrayNode array = node.putArray("limits");
        for (WindowLimit limit : limits) {
            array.addObject().put("window", limit.window().wire()).put("limit_usd", limit.limit().toDollars());
        }
    }
}
