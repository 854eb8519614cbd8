package dev.tollgate.windows;

import dev.tollgate.keys.ApiKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which spend windows a key's requests count in (its account's plan, and the key's own), and their state. Each
 * account's assigned plan is cached per instance for {@code planCacheTtl}, like keys: an assignment takes effect
 * on other instances within that time. With no plan configured nothing is ever read.
 */
public final class SpendWindows {

    public static final SpendWindows NONE = new SpendWindows(Plans.NONE, null, Clock.systemUTC(), Duration.ZERO);

    private record Cached(Optional<String> plan, Instant until) {
    }

    private final Plans plans;
    private final WindowStore store;
    private final Clock clock;
    private final Duration planCacheTtl;
    private final Map<String, Cached> assigned = new ConcurrentHashMap<>();

    public SpendWindows(Plans plans, WindowStore store, Clock clock, Duration planCacheTtl) {
        this.plans = plans;
        this.store = store;
        this.clock = clock;
        this.planCacheTtl = planCacheTtl;
    }

    /** The account's plan windows, then the key's own: every one of them is enforced. */
    public List<SpendWindow> applicable(ApiKey key) {
        List<SpendWindow> windows = new ArrayList<>();
        planOf(key.accountId()).ifPresent(plan -> plan.limits().forEach(l ->
                windows.add(new SpendWindow(SpendWindow.Scope.ACCOUNT, key.accountId(), l.window(), l.limit(), plan.name()))));
        key.limits().forEach(l -> windows.add(new SpendWindow(SpendWindow.Scope.KEY, key.keyId(), l.window(), l.limit(), "key")));
        return windows;
    }

    /** The state of {@code windows} now (reads; nothing when there are none). */
    public List<WindowUsage> usage(List<SpendWindow> windows) {
        return windows.isEmpty() || store == null ? List.of() : store.read(windows, clock.instant());
    }

    /** Per window, the one with the least left (plan or key), in the order session, daily, weekly, monthly. */
    public static List<WindowUsage> tightest(List<WindowUsage> usage) {
        Map<Window, WindowUsage> tightest = new EnumMap<>(Window.class);
        for (WindowUsage u : usage) {
            tightest.merge(u.window().window(), u, (a, b) -> b.remaining().lessThan(a.remaining()) ? b : a);
        }
        return List.copyOf(tightest.values());
    }

    /** The plan the account runs under now (its own, or the default), through this instance's cache. */
    public Optional<Plan> planOf(String accountId) {
        if (plans.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Cached cached = assigned.get(accountId);
        if (cached == null || !now.isBefore(cached.until())) {
            cached = new Cached(store.planOf(accountId), now.plus(planCacheTtl));
            if (assigned.size() > 100_000) {
                assigned.clear();
            }
            assigned.put(accountId, cached);
        }
        return plans.effective(cached.plan().orElse(null));
    }

    /**
     * Assigns {@code planName} to the account ({@code null}: back to the default). Idempotent.
     *
     * @throws IllegalArgumentException if no such plan is configured
     * @return false if the account does not exist
     */
    public boolean assign(String accountId, String planName) {
        if (planName != null && plans.find(planName).isEmpty()) {
            throw new IllegalArgumentException("no plan named '" + planName + "'");
        }
        boolean done = store.assignPlan(accountId, planName);
        assigned.remove(accountId);
        return done;
    }

    public Plans plans() {
        return plans;
    }
}
