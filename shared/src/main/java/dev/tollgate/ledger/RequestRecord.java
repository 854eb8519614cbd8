package dev.tollgate.ledger;

import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import java.time.Instant;

/**
 * One request as the request log shows it ({@code GET /v1/requests}): read from the request's ledger entry, which
 * the settlement wrote in the same transaction that moved its money, so the log and the balance always agree.
 *
 * @param keyName   the key's name when the request ran; {@code null} for a key without one, and for entries written
 *                  before names were recorded
 * @param streamed  whether the caller asked for a stream; {@code null} for entries written before this was recorded
 * @param route     why Tollgate chose {@code model} (auto routing, a fallback) as {@code x-tollgate-route} said; {@code null} when the request named it
 * @param cost      the request's full cost: {@code charged} plus {@code shortfall}
 * @param charged   what the balance paid
 * @param hold      what was reserved before the upstream was called; {@code null} for requests charged directly
 *                  (in-process embeddings), free requests, and entries written before this was recorded
 * @param shortfall the part of the cost the balance could not pay: it became the account's debt
 * @param status    how it ended: {@code ok} or one of the stream billing policy's cases ({@code client_disconnect},
 *                  {@code upstream_error}, {@code upstream_timeout}, {@code max_duration}, {@code output_bound},
 *                  {@code shutdown}), {@code hold_expired} (released with nothing recorded), {@code in_progress}
 *                  (the reconciler charged what its stream had recorded)
 * @param reconciled true when the reconciler, not the request itself, settled it
 * @param reversed  true when the charge was given back because the work failed after it was taken
 */
public record RequestRecord(
        String requestId,
        String accountId,
        Instant at,
        String keyId,
        String keyName,
        String model,
        String route,
        Boolean streamed,
        TokenUsage usage,
        Money cost,
        Money charged,
        Money hold,
        Money shortfall,
        long latencyMs,
        String status,
        boolean reconciled,
        boolean reversed) {
}
