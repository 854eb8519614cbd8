package dev.tollgate.billing;

import dev.tollgate.money.Money;

/** Usage counters of one account for one day and model. {@code day} is ISO {@code yyyy-MM-dd} in UTC. */
public record UsageRow(String day, String model, long requests, long promptTokens, long completionTokens, Money cost) {
}
