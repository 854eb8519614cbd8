package dev.tollgate.upstream;

/**
 * An upstream call that failed before Tollgate could relay anything. {@link #retryable()} says whether
 * another attempt (or a fallback deployment) may succeed.
 */
public final class UpstreamException extends Exception {

    /** What went wrong, which decides the status the caller sees. */
    public enum Kind {
        /** Connection refused, DNS failure, reset before the response. → 503 */
        UNREACHABLE,
        /** No response headers in time, or silence mid-stream. → 504 */
        TIMEOUT,
        /** The upstream answered an error status. → 502, or the upstream's 4xx for the caller's own mistakes */
        ERROR_STATUS,
        /** The upstream answered something that is not the OpenAI wire format. → 502 */
        PROTOCOL
    }

    private final Kind kind;
    private final String upstream;
    private final int status;
    private final String body;

    public UpstreamException(Kind kind, String upstream, int status, String body, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.upstream = upstream;
        this.status = status;
        this.body = body;
    }

    public static UpstreamException status(String upstream, int status, String body) {
        return new UpstreamException(Kind.ERROR_STATUS, upstream, status, body,
                "upstream " + upstream + " answered HTTP " + status, null);
    }

    public Kind kind() {
        return kind;
    }

    public String upstream() {
        return upstream;
    }

    /** The upstream's HTTP status for {@link Kind#ERROR_STATUS}, otherwise 0. */
    public int status() {
        return status;
    }

    /** The upstream's error body for {@link Kind#ERROR_STATUS}, possibly empty. */
    public String body() {
        return body;
    }

    /** Nothing listens at the upstream's address (or no route leads there): it is down, not slow. */
    public boolean refused() {
        return kind == Kind.UNREACHABLE && getCause() instanceof java.net.ConnectException;
    }

    /** Worth another attempt: the upstream may be overloaded or restarting (529 is Anthropic's "overloaded"). */
    public boolean retryable() {
        return switch (kind) {
            case UNREACHABLE, TIMEOUT -> true;
            case ERROR_STATUS -> status == 429 || status == 500 || status == 502 || status == 503 || status == 504
                    || status == 529;
            case PROTOCOL -> false;
        };
    }
}
