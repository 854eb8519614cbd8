package dev.tollgate.functions.config;

import dev.tollgate.money.Money;
import dev.tollgate.windows.Plan;
import dev.tollgate.windows.Plans;
import dev.tollgate.windows.Window;
import dev.tollgate.windows.WindowLimit;
import io.micronaut.core.value.PropertyResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the operator's plans: {@code tollgate.plans.<name>.windows.<window>.limit-usd} (windows {@code session},
 * {@code daily}, {@code weekly}, {@code monthly}) and {@code tollgate.default-plan}. A plan map has no fixed keys,
 * so it is read from the property tree rather than bound to a bean; a mistake fails start-up with its name.
 */
public final class PlansConfig {

    private PlansConfig() {
    }

    public static Plans read(PropertyResolver properties) {
        Map<String, Plan> plans = new LinkedHashMap<>();
        for (String name : properties.getPropertyEntries("tollgate.plans")) {
            String prefix = "tollgate.plans." + name;
            List<WindowLimit> limits = new ArrayList<>();
            for (String entry : properties.getPropertyEntries(prefix + ".windows")) {
                Window window = Window.fromWire(entry).orElseThrow(() -> new IllegalArgumentException(prefix + ".windows."
                        + entry + ": unknown window; use " + Window.names()));
                String key = prefix + ".windows." + entry + ".limit-usd";
                String dollars = properties.getProperty(key, String.class).orElseThrow(() ->
                        new IllegalArgumentException(key + " is missing: each window of a plan needs its limit in dollars"));
                limits.add(new WindowLimit(window, limit(key, dollars)));
            }
            if (limits.isEmpty()) {
                throw new IllegalArgumentException(prefix + " has no windows; give it e.g. " + prefix
                        + ".windows.daily.limit-usd: \"5.00\"");
            }
            plans.put(name, new Plan(name, limits));
        }
        String defaultPlan = properties.getProperty("tollgate.default-plan", String.class).filter(p -> !p.isBlank())
                .orElse(null);
        return new Plans(plans, defaultPlan);
    }

    private static Money limit(String key, String dollars) {
        try {
            Money limit = Money.parseDollars(dollars.strip());
            if (limit.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return limit;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be a non-negative dollar amount with at most 6 decimals, "
                    + "e.g. \"5.00\", not '" + dollars + "'", e);
        }
    }
}
