package dev.tollgate.error;

import java.util.Map;

/**
 * A failure the caller should see as an OpenAI error envelope. The message must tell the user what to
 * do next; {@code param} names the offending request field when there is one.
 */
public class ApiException extends RuntimeException {

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
