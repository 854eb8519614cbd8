package dev.tollgate.alerts;

import java.util.Locale;

/** What an alert is about; {@link #wire()} is its name in webhooks, the API and the {@code tollgate.alerts} metric. */
public enum AlertKind {
    LOW_BALANCE, BUDGET_80, BUDGET_100, WINDOW_EXHAUSTED, TOPUP_FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
