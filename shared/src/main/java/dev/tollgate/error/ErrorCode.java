package dev.tollgate.error;

/**
 * The error codes Tollgate returns, each with its HTTP status and OpenAI error {@code type}. The table
 * follows DESIGN.md ("Errors always use the OpenAI envelope") and the types OpenAI's own API uses, so
 * the official SDKs raise the matching exception class.
 */
public enum ErrorCode {
    INVALID_API_KEY(401, "invalid_request_error", "invalid_api_key"),
    INSUFFICIENT_QUOTA(403, "insufficient_quota", "insufficient_quota"),
    MODEL_NOT_ALLOWED(403, "invalid_request_error", "model_not_allowed"),
    PERMISSION_DENIED(403, "invalid_request_error", "permission_denied"),
    MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found"),
    NOT_FOUND(404, "invalid_request_error", "not_found"),
    METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed"),
    INVALID_REQUEST(400, "invalid_request_error", "invalid_request_error"),
    CONFLICT(409, "invalid_request_error", "conflict"),
    /** A request with the same Idempotency-Key is still running. */
    IDEMPOTENCY_KEY_IN_USE(409, "invalid_request_error", "idempotency_key_in_use"),
    /** The Idempotency-Key's request finished but its answer cannot be replayed (too large, or interrupted). */
    IDEMPOTENT_RESPONSE_UNAVAILABLE(409, "invalid_request_error", "idempotent_response_unavailable"),
    /** The Idempotency-Key was used for a different request. */
    IDEMPOTENCY_KEY_REUSED(422, "invalid_request_error", "idempotency_key_reused"),
    RATE_LIMIT_EXCEEDED(429, "rate_limit_exceeded", "rate_limit_exceeded"),
    UPSTREAM_FAILED(502, "api_error", "gateway_error"),
    UPSTREAM_UNAVAILABLE(503, "api_error", "gateway_error"),
    UPSTREAM_TIMEOUT(504, "api_error", "gateway_error"),
    /** Tollgate cannot do this right now and the caller should retry (e.g. a webhook for an order not yet visible). */
    SERVICE_UNAVAILABLE(503, "api_error", "service_unavailable"),
    INTERNAL(500, "api_error", "internal_error");

    private final int status;
    private final String type;
    private final String code;

    ErrorCode(int status, String type, String code) {
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }
}
