package dev.tollgate.ledger;

import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;

/**
 * What a request charge was for.
 *
 * @param shortfall cost that could not be charged because the balance or key budget ran out
 */
public record RequestDetails(String model, TokenUsage usage, String status, long latencyMs, Money shortfall) {
}
