package dev.tollgate.functions.web.openapi;

import io.micronaut.core.annotation.NonNull;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * Anthropic's error envelope, which every error on /v1/messages uses (AnthropicErrorFilter rewrites the OpenAI one,
 * with dev.tollgate.inbound.anthropic.AnthropicErrors): Anthropic's SDKs read {@code error.type}.
 */
@Schema(name = "AnthropicError", description = "Anthropic's error envelope")
public record AnthropicErrorBody(
        @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = "error") String type,
        @NonNull Detail error) {

    @Schema(name = "AnthropicErrorDetail")
    public record Detail(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "permission_error",
                    description = "By the status: 400/405/409/415 invalid_request_error, 401 authentication_error, "
                            + "403 permission_error, 404 not_found_error, 413 request_too_large, 429 "
                            + "rate_limit_error, 503 overloaded_error, 504 timeout_error, other 5xx api_error")
            String type,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Tollgate's message: what went wrong and what "
                    + "to do next")
            String message,
            @Schema(example = "insufficient_quota", description = "Tollgate's (OpenAI-style) error code, kept for "
                    + "clients that log it")
            String code) {
    }
}
