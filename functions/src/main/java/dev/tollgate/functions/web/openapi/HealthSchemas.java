package dev.tollgate.functions.web.openapi;

import io.micronaut.core.annotation.NonNull;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** {@code GET /health} and {@code GET /ready} (HealthController): never an address, a key or an exception. */
public final class HealthSchemas {

    private HealthSchemas() {
    }

    @Schema(name = "Alive")
    public record Alive(@Schema(requiredMode = RequiredMode.REQUIRED, example = "ok") String status) {
    }

    @Schema(name = "Ready")
    public record Ready(@Schema(requiredMode = RequiredMode.REQUIRED, example = "ready") String status,
                        @NonNull Store dynamodb,
                        @NonNull List<Upstream> upstreams) {
    }

    @Schema(name = "NotReady", description = "OpenAI's error envelope (code service_unavailable) with the same report")
    public record NotReady(@NonNull ErrorBody.Detail error,
                           @NonNull Store dynamodb,
                           @NonNull List<Upstream> upstreams) {
    }

    @Schema(name = "StoreStatus")
    public record Store(
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"up", "down"}) String status) {
    }

    @Schema(name = "UpstreamStatus", description = "As last known: from the local server's start-up probe and every "
            + "call since. Upstreams do not decide readiness.")
    public record Upstream(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "ollama") String name,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"up", "down", "unknown"})
            String status,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time") String checkedAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, example = "connection refused") String detail,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Model ids its last successful probe listed")
            List<String> models) {
    }
}
