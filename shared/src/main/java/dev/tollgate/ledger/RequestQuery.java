package dev.tollgate.ledger;

/**
 * The request log's query parameters as the caller sent them (an HTTP query string, a console form): every one
 * may be {@code null} or blank. {@link RequestLogService} validates them; a bad value is a 400 naming the parameter.
 *
 * @param start an instant (ISO-8601, e.g. {@code 2026-01-31T12:00:00Z}), a day ({@code 2026-01-31}, 00:00 UTC) or
 *              unix seconds; requests at or after it
 * @param end   the same forms; requests before it (a day alone means the end of that day)
 * @param limit rows per page, 1 to {@value RequestLogService#MAX_LIMIT}, default {@value RequestLogService#DEFAULT_LIMIT}
 * @param after the {@code next_cursor} of the previous page
 */
public record RequestQuery(String keyId, String model, String status, String start, String end, String limit,
                           String after) {

    /** No filter, the first page of the default size. */
    public static final RequestQuery ALL = new RequestQuery(null, null, null, null, null, null, null);

    public RequestQuery withAfter(String cursor) {
        return new RequestQuery(keyId, model, status, start, end, limit, cursor);
    }

    public RequestQuery withKeyId(String key) {
        return new RequestQuery(key, model, status, start, end, limit, after);
    }
}
