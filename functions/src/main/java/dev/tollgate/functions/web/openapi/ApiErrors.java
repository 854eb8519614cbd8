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
 * Error responses that several operations share, as annotations to put on a controller or method: the processor
 * adds each to every operation that does not describe that status itself. Every body is {@link ErrorBody}; the
 * statuses and codes are README.md's error table.
 */
public final class ApiErrors {

    /** The Idempotency-Key's texts, the same under both error envelopes ({@link AnthropicApiErrors}). */
    static final String IDEMPOTENCY_KEY = "Makes a retry safe: the first request with a key runs and its answer is kept for 24 h "
            + "(per account); a retry with the same key and the same request gets that answer again, byte for byte, "
            + "with idempotent-replayed: true, and is never charged again. 1 to 255 printable ASCII characters.";
    static final String IDEMPOTENCY_IN_USE = "invalid_request_error: idempotency_key_in_use (a request with this "
            + "Idempotency-Key is still running, or a stream has not finished; Retry-After says when to retry) or "
            + "idempotent_response_unavailable (it finished but cannot be replayed: its answer was too large to keep, or "
            + "it was interrupted after being charged; use a new key)";
    static final String IDEMPOTENCY_REUSED = "invalid_request_error: idempotency_key_reused (the Idempotency-Key was "
            + "used in the last 24 h for a different request: another body, endpoint or parameters)";

    private ApiErrors() {
    }

    /** 400: the body or a parameter is invalid; {@code param} names the field. */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "400", description = "invalid_request_error: bad JSON, a missing or invalid field "
            + "(param names it), or a body over 16 MiB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    public @interface BadRequest {
    }

    /** 401: every endpoint under /v1. */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "401", description = "invalid_api_key: the key is missing, malformed, unknown, revoked "
            + "or expired",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    public @interface KeyRequired {
    }

    /** 403 of the endpoints that need a management key. */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "403", description = "permission_denied: an inference key; this needs a management key",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    public @interface ManagementKey {
    }

    /** 401 and 403 of the operator API. */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "401", description = "invalid_api_key: not the admin token",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "403", description = "permission_denied: no admin token is configured, so the "
            + "admin API is off",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    public @interface AdminRefused {
    }

    /** 404: no such resource (in the caller's account). */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "404", description = "not_found: nothing with this id (in the caller's account)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    public @interface NotFound {
    }

    /** 409: the request conflicts with what exists (an idempotency reference reused for another change...). */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "409", description = "conflict",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    public @interface Conflict {
    }

    /** 429 of the rate-limited endpoints that call no model (only the key's rpm_limit applies). */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "429", description = "rate_limit_exceeded: the key's rpm_limit",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = "integer")),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    public @interface RpmLimited {
    }

    /** The model endpoints' refusals, limits and upstream failures. */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "403", description = "insufficient_quota (the balance or the key's budget cannot cover "
            + "the most the request may cost, or the account owes money) or model_not_allowed (the key's model list "
            + "excludes it)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "404", description = "model_not_found: the model is not in the catalog",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "429", description = "rate_limit_exceeded: the key's rpm_limit, the account's open "
            + "streams, or a model's daily token quota",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = "integer")),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "502", description = "gateway_error: the upstream failed",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "503", description = "gateway_error: the upstream is unreachable or overloaded (the "
            + "message names its address, never its key)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "504", description = "gateway_error: the upstream timed out",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    public @interface Metered {
    }

    /** The {@code Idempotency-Key} header of the billed POSTs, and its 409 and 422. */
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = IDEMPOTENCY_KEY,
            schema = @Schema(implementation = String.class, minLength = 1, maxLength = 255))
    @ApiResponse(responseCode = "409", description = IDEMPOTENCY_IN_USE,
            headers = @Header(name = "Retry-After", schema = @Schema(type = "integer")),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "422", description = IDEMPOTENCY_REUSED,
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    public @interface IdempotencyKey {
    }
}
