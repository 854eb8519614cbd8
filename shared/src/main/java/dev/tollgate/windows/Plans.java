package dev.tollgate.windows;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The plans the operator configured ({@code tollgate.plans.<name>.windows.<window>.limit-usd}) and the plan of
 * accounts that were assigned none ({@code tollgate.default-plan}, none by default: no windows at all).
 */
public final class Plans {

    public static final Plans NONE = new Plans(Map.of(), null);

    private final Map<String, Plan> byName;
    private final String defaultPlan;

    public Plans(Map<String, Plan> byName, String defaultPlan) {
        this.byName = new TreeMap<>(byName);
        if (defaultPlan != null && !this.byName.containsKey(defaultPlan)) {
            throw new IllegalArgumentException("tollgate.default-plan '" + defaultPlan + "' is not one of the configured "
                    + "plans " + this.byName.keySet());
        }
        this.defaultPlan = defaultPlan;
    }

    public Optional<Plan> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The plan an account runs under: the assigned one if it still exists, otherwise the default, if any. */
    public Optional<Plan> effective(String assigned) {
        if (assigned != null && byName.containsKey(assigned)) {
            return Optional.of(byName.get(assigned));
        }
        return defaultPlan == null ? Optional.empty() : Optional.of(byName.get(defaultPlan));
    }

    /** No plan is configured: accounts never need their plan looked up. */
    public boolean isEmpty() {
        return byName.isEmpty();
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
