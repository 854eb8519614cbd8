package dev.tollgate.functions.web.openapi;

import io.micronaut.core.annotation.NonNull;
import io.swagger.v3.oas.annotations.media.Schema;

/** OpenAI's error envelope, which every error of every endpoint uses (dev.tollgate.error.ErrorEnvelope). */
@Schema(name = "Error", description = "OpenAI's error envelope")
public record ErrorBody(@NonNull Detail error) {

    @Schema(name = "ErrorDetail")
    public record Detail(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "What went wrong and what to do next",
                    example = "Insufficient balance: $0.000120 left, this request may cost up to $0.004000. "
                            + "Top up with POST /v1/billing/checkout.")
            String message,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "insufficient_quota",
                    description = "OpenAI's error type: invalid_request_error, insufficient_quota, rate_limit_exceeded "
                            + "or api_error")
            String type,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "insufficient_quota",
                    description = "invalid_api_key, insufficient_quota, model_not_allowed, permission_denied, "
                            + "model_not_found, not_found, method_not_allowed, invalid_request_error, conflict, "
                            + "rate_limit_exceeded, gateway_error, service_unavailable or internal_error")
            String code,
            @Schema(nullable = true, requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "The request field at fault, e.g. messages[0].role", example = "model")
            String param) {
    }
}
