package dev.tollgate.functions.web.openapi;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@link ApiErrors} for the Anthropic Messages routes: the same statuses, each in {@link AnthropicErrorBody} (with
 * Anthropic's error type), since AnthropicErrorFilter rewrites every error answer on those routes.
 */
public final class AnthropicApiErrors {

    private AnthropicApiErrors() {
    }

    /** 400: the body is invalid; the message names the field. */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "400", description = "invalid_request_error: bad JSON, a missing or invalid field "
            + "(max_tokens is required), a server tool, or a body over 16 MiB",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = AnthropicErrorBody.class)))
    public @interface BadRequest {
    }

    /** 401: no valid key in x-api-key or Authorization. */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "401", description = "authentication_error: the key is missing, malformed, unknown, "
            + "revoked or expired",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = AnthropicErrorBody.class)))
    public @interface KeyRequired {
    }

    /** The model endpoints' refusals, limits and upstream failures (ApiErrors.Metered), in Anthropic's envelope. */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "403", description = "permission_error: insufficient_quota (the balance or the key's "
            + "budget cannot cover the most the request may cost, or the account owes money) or model_not_allowed",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = AnthropicErrorBody.class)))
    @ApiResponse(responseCode = "404", description = "not_found_error: the model is not in the catalog",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = AnthropicErrorBody.class)))
    @ApiResponse(responseCode = "429", description = "rate_limit_error: the key's rpm_limit, the account's open "
            + "streams, or a model's daily token quota",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = "integer")),
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = AnthropicErrorBody.class)))
    @ApiResponse(responseCode = "502", description = "api_error: the upstream failed",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = AnthropicErrorBody.class)))
    @ApiResponse(responseCode = "503", description = "overloaded_error: the upstream is unreachable or overloaded",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = AnthropicErrorBody.class)))
    @ApiResponse(responseCode = "504", description = "timeout_error: the upstream timed out",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = AnthropicErrorBody.class)))
    public @interface Metered {
    }

    /** The {@code Idempotency-Key} header of the billed POSTs, and its 409 and 422. */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = ApiErrors.IDEMPOTENCY_KEY,
            schema = @Schema(implementation = String.class, minLength = 1, maxLength = 255))
    @ApiResponse(responseCode = "409", description = ApiErrors.IDEMPOTENCY_IN_USE,
            headers = @Header(name = "Retry-After", schema = @Schema(type = "integer")),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AnthropicErrorBody.class)))
    @ApiResponse(responseCode = "422", description = ApiErrors.IDEMPOTENCY_REUSED,
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AnthropicErrorBody.class)))
    public @interface IdempotencyKey {
    }
}
