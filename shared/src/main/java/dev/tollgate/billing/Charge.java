package dev.tollgate.billing;

import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import java.time.Instant;

/**
 * What one request is charged at settlement, with everything the ledger entry records (which is what the request
 * log shows).
 *
 * @param cost      the actual cost of the usage (before any cap)
 * @param status    how the request ended: {@code ok}, {@code client_disconnect}, {@code upstream_error}, ...
 * @param latencyMs from arrival to settlement
 * @param keyName   the key's name when the request ran, or {@code null}
 * @param streamed  whether the caller asked for a stream
 * @param route     why Tollgate chose the model (auto routing, a fallback), or {@code null} when the request named it
 */
public record Charge(String requestId, String accountId, String keyId, String model, TokenUsage usage,
                     Money cost, String status, long latencyMs, Instant at, String keyName, boolean streamed,
                     String route) {

    public Charge(String requestId, String accountId, String keyId, String model, TokenUsage usage,
                  Money cost, String status, long latencyMs, Instant at, String keyName, boolean streamed) {
        this(requestId, accountId, keyId, model, usage, cost, status, latencyMs, at, keyName, streamed, null);
    }

    /** A charge of an unnamed key's buffered request. */
    public Charge(String requestId, String accountId, String keyId, String model, TokenUsage usage,
                  Money cost, String status, long latencyMs, Instant at) {
        this(requestId, accountId, keyId, model, usage, cost, status, latencyMs, at, null, false);
    }
}
