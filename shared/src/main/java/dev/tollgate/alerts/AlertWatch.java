package dev.tollgate.alerts;

import dev.tollgate.billing.Settlement;
import dev.tollgate.billing.SettlementObserver;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.money.Money;
import dev.tollgate.windows.WindowUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Raises the alerts that settlements cause, each once per crossing: {@code low_balance} when the balance goes below
 * the account's threshold having been at or above it (re-armed when it is seen above again), {@code budget_80} and
 * {@code budget_100} once per key and budget (raising the budget re-arms them), {@code window_exhausted} once per
 * window period. "Once" is a conditional write, so concurrent settlements on any instance raise one alert.
 *
 * <p>All of it runs on the executor. The alert settings are cached per account for {@code settingsTtl}; a key with a
 * budget costs one key read per settlement (its cached copy does not know what other requests spent).
 */
public final class AlertWatch implements SettlementObserver {

    private final Alerts alerts;
    private final AlertStore store;
    private final Function<String, Optional<ApiKey>> keysByHash;
    private final Executor executor;
    private final Clock clock;
    private final Duration settingsTtl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(AlertSettings settings, Instant readAt) {
    }

    public AlertWatch(Alerts alerts, Function<String, Optional<ApiKey>> keysByHash, Executor executor, Clock clock,
                      Duration settingsTtl) {
        this.alerts = alerts;
        this.store = alerts.store();
        this.keysByHash = keysByHash;
        this.executor = executor;
        this.clock = clock;
        this.settingsTtl = settingsTtl;
    }

    @Override
    public void settled(ApiKey key, Settlement settlement) {
        Money balance = settlement.balance();
        boolean budgeted = key.budget() != null && key.budget().isPositive();
        boolean exhausted = settlement.windows().stream().anyMatch(w -> !w.remaining().isPositive());
        Cached cached = cache.get(key.accountId());
        boolean balanceWork = balance != null && (cached == null || stale(cached) || lowBalanceChanges(cached.settings(), balance));
        if (balanceWork || budgeted || exhausted) {
            executor.execute(() -> check(key, settlement, balanceWork, budgeted));
        }
    }

    private boolean stale(Cached cached) {
        return cached.readAt().plus(settingsTtl).isBefore(clock.instant());
    }

    private static boolean lowBalanceChanges(AlertSettings settings, Money balance) {
        return settings.lowBalance() != null && settings.lowBalanceArmed() == balance.lessThan(settings.lowBalance());
    }

    private void check(ApiKey key, Settlement settlement, boolean balanceWork, boolean budgeted) {
        if (balanceWork) {
            lowBalance(key.accountId(), settlement.balance());
        }
        if (budgeted) {
            keysByHash.apply(key.secretHash()).ifPresent(this::budget);
        }
        for (WindowUsage window : settlement.windows()) {
            if (!window.remaining().isPositive() && store.markOnce(key.accountId(), "window:" + window.window().describe()
                    + ":" + window.reset(), clock.instant())) {
                alerts.raise(key.accountId(), AlertKind.WINDOW_EXHAUSTED, window.window().describe(),
                        "Spend window " + window.window().describe() + " is used up (" + window.used().display() + " of "
                                + window.limit().display() + "); requests it covers are refused until " + window.reset() + ".",
                        Map.of("limit_usd", window.limit().toDollars(), "used_usd", window.used().toDollars(),
                                "resets_at", String.valueOf(window.reset())));
            }
        }
    }

    private void lowBalance(String accountId, Money balance) {
        for (int round = 0; round < 5; round++) {
            AlertSettings settings = store.settings(accountId).orElse(AlertSettings.none(accountId));
            cache.put(accountId, new Cached(settings, clock.instant()));
            if (!lowBalanceChanges(settings, balance)) {
                return;
            }
            boolean armed = !balance.lessThan(settings.lowBalance());
            AlertSettings next = settings.with(settings.url(), settings.secret(), settings.lowBalance(), armed, clock.instant());
            if (store.replace(settings, next)) {
                cache.put(accountId, new Cached(new AlertSettings(accountId, next.url(), next.secret(), next.lowBalance(),
                        armed, settings.version() + 1, next.updatedAt()), clock.instant()));
                if (!armed) {
                    alerts.raise(accountId, AlertKind.LOW_BALANCE, null, "The balance is " + balance.display()
                            + ", below your alert threshold of " + settings.lowBalance().display() + ".",
                            Map.of("balance_usd", balance.toDollars(), "threshold_usd", settings.lowBalance().toDollars()));
                }
                return;
            }
        }
    }

    private void budget(ApiKey key) {
        Money budget = key.budget();
        if (budget == null || !budget.isPositive()) {
            return;
        }
        // spent × 100 ≥ budget × percent, in integers: no rounding decides whether an alert fires.
        long spent = key.spent().micros();
        for (int percent : new int[] {80, 100}) {
            if (Math.multiplyExact(spent, 100L) >= Math.multiplyExact(budget.micros(), (long) percent)
                    && store.markOnce(key.accountId(), "budget_" + percent + ":" + key.keyId() + ":" + budget.micros(),
                    clock.instant())) {
                alerts.raise(key.accountId(), percent == 80 ? AlertKind.BUDGET_80 : AlertKind.BUDGET_100, key.keyId(),
                        "Key " + key.keyId() + (key.name() == null ? "" : " (" + key.name() + ")") + " has spent "
                                + key.spent().display() + " of its " + budget.display() + " budget"
                                + (percent == 100 ? ": it is used up." : " (80 % or more)."),
                        Map.of("key_id", key.keyId(), "spent_usd", key.spent().toDollars(), "budget_usd", budget.toDollars()));
            }
        }
    }
}
