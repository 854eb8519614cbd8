package dev.tollgate.error;

import java.util.Map;

/**
 * A failure the caller should see as an OpenAI error envelope. The message must tell the user what to
 * do next; {@code param} names the offending request field when there is one.
 */
public class ApiException extends RuntimeException {

    /** The response header naming the request, as on every successful chat and embeddings response. */
    public static final String REQUEST_ID_HEADER = "x-request-id";

    private final ErrorCode code;
    private final String param;
    private final Map<String, String> headers;

    public ApiException(ErrorCode code, String message) {
        this(code, message, null, Map.of(), null);
    }

    public ApiException(ErrorCode code, String message, String param) {
        this(code, message, param, Map.of(), null);
    }

    public ApiException(ErrorCode code, String message, String param, Map<String, String> headers, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.param = param;
        this.headers = Map.copyOf(headers);
    }

    /**
     * {@code failure} answered with an {@code x-request-id} header: for a request that failed after its ledger entry
     * was written (the upstream failed after the hold, the charge was reversed), so the caller can look it up in
     * {@code GET /v1/requests/{id}}. Other exceptions (a 500) are returned as they are.
     */
    public static RuntimeException withRequestId(RuntimeException failure, String requestId) {
        if (!(failure instanceof ApiException api) || api.headers.containsKey(REQUEST_ID_HEADER)) {
            return failure;
        }
        java.util.Map<String, String> headers = new java.util.HashMap<>(api.headers);
        headers.put(REQUEST_ID_HEADER, requestId);
        return new ApiException(api.code, api.getMessage(), api.param, headers, api.getCause());
    }

    public static ApiException invalid(String param, String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, message, param);
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    public String param() {
        return param;
    }

    /** Extra response headers, e.g. {@code Retry-After} on a rate limit. */
    public Map<String, String> headers() {
        return headers;
    }
}
