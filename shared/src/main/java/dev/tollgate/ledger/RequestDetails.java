package dev.tollgate.ledger;

import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;

/**
 * What a request charge was for.
 *
 * @param shortfall cost above the hold that the balance could not pay: it became the account's debt (never written off)
 */
public record RequestDetails(String model, TokenUsage usage, String status, long latencyMs, Money shortfall) {
}
