package dev.tollgate.functions.web.openapi;

import io.micronaut.core.annotation.NonNull;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The request log, {@code GET /v1/requests} and {@code GET /v1/requests/{id}} (RequestsController, RequestJson). Money
 * is both a dollar string with six decimals ({@code *_usd}) and integer micro-dollars ({@code *_micros}).
 */
public final class RequestLogSchemas {

    private RequestLogSchemas() {
    }

    @Schema(name = "LoggedRequest", description = "One request that reached billing, as its settlement's ledger entry "
            + "recorded it")
    public record LoggedRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "req_...",
                    description = "The response's x-request-id") String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "request") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "1796543100", description = "Unix seconds")
            long created,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String createdAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "key_...") String keyId,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true,
                    description = "The key's name when the request ran") String keyName,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "gemma3:1b") String model,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true,
                    description = "Reserved for auto routing; null for now") String route,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true,
                    description = "Whether the caller asked for a stream; null for requests logged before this was "
                            + "recorded") Boolean streamed,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"ok", "client_disconnect",
                "upstream_error", "upstream_timeout", "max_duration", "output_bound", "shutdown", "hold_expired",
                "in_progress"}, description = "How it ended (README's stream billing policy)") String status,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The reconciler settled it") boolean reconciled,
            @Schema(requiredMode = RequiredMode.REQUIRED,
                    description = "A charge given back because the work failed after it was taken") boolean reversed,
            @NonNull RequestUsage usage,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000001",
                    description = "What the request cost: charged plus shortfall") String costUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "1") long costMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000001",
                    description = "What the balance paid") String chargedUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "1") long chargedMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, example = "0.000206",
                    description = "Reserved before the upstream was called; null for direct charges and free requests")
            String holdUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, example = "206") Long holdMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000000",
                    description = "What the balance could not pay, owed as debt") String shortfallUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0") long shortfallMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "412") long latencyMs) {
    }

    @Schema(name = "LoggedRequestUsage")
    public record RequestUsage(
            @Schema(requiredMode = RequiredMode.REQUIRED) long promptTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED) long completionTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED) long reasoningTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED) long cachedTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Prompt tokens written to the upstream's cache "
                    + "(inside promptTokens, priced at the model's cache-write rate)") long cacheWriteTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED) long totalTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"upstream", "tollgate"},
                    description = "tollgate: the upstream reported no usage, so Tollgate counted the tokens")
            String countedBy) {
    }

    @Schema(name = "LoggedRequestList", description = "Newest first. With a model or status filter a page reads at "
            + "most 1,000 log entries, so it can be short (even empty) with has_more true: keep following next_cursor.")
    public record RequestList(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "list") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<LoggedRequest> data,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean hasMore,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, example = "MXwyMDI2LTEy...",
                    description = "Pass as after for the next page; null on the last") String nextCursor) {
    }
}
