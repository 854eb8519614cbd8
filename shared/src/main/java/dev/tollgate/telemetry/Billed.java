package dev.tollgate.telemetry;

/**
 * A request's settlement as its log line shows it: ids, model, tokens and money, never a key secret or any content.
 *
 * @param status    how it ended ({@code ok}, {@code client_disconnect}, {@code upstream_error}, ...)
 * @param costMicros    the full cost of the usage, µ$
 * @param chargedMicros what the balance paid, µ$ (less than the cost when part of it became debt)
 * @param latencyMs from arrival to settlement
 */
public record Billed(String requestId, String accountId, String keyId, String model, String route, boolean streamed,
                     long inputTokens, long outputTokens, long costMicros, long chargedMicros, String status,
                     long latencyMs) {
}
