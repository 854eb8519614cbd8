package dev.tollgate.billing;

import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import java.time.Instant;

/**
 * What one request is charged at settlement, with everything the ledger entry records.
 *
 * @param cost      the actual cost of the usage (before any cap)
 * @param status    how the request ended: {@code ok}, {@code client_disconnect}, {@code upstream_error}, ...
 * @param latencyMs from arrival to settlement
 */
public record Charge(String requestId, String accountId, String keyId, String model, TokenUsage usage,
                     Money cost, String status, long latencyMs, Instant at) {
}
