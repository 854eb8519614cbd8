package dev.tollgate.ledger;

import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;

/**
 * What a request charge was for.
 *
 * @param shortfall cost above the hold that the balance could not pay: it became the account's debt (never written off)
 * @param keyName   the key's name when the request ran, or {@code null}
 * @param streamed  whether the caller asked for a stream; {@code null} when not known (entries written before it was)
 * @param hold      what was reserved for the request, or {@code null} when nothing was (direct charges, free requests)
 * @param route     why Tollgate chose {@code model} (auto routing, a fallback), as {@code x-tollgate-route} said, or
 *                  {@code null} when the request named the model that served
 */
public record RequestDetails(String model, TokenUsage usage, String status, long latencyMs, Money shortfall,
                             String keyName, Boolean streamed, Money hold, String route) {

    public RequestDetails(String model, TokenUsage usage, String status, long latencyMs, Money shortfall,
                          String keyName, Boolean streamed, Money hold) {
        this(model, usage, status, latencyMs, shortfall, keyName, streamed, hold, null);
    }

    public RequestDetails(String model, TokenUsage usage, String status, long latencyMs, Money shortfall) {
        this(model, usage, status, latencyMs, shortfall, null, null, null, null);
    }
}
