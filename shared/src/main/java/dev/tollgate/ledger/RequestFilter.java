package dev.tollgate.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * A validated request log query, as the {@link RequestLog} port receives it: always one account; optionally one
 * key, one served model, one status ({@link RequestStatus#ALL}), and a period {@code [start, end)}.
 */
public record RequestFilter(String accountId, String keyId, String model, String status, Instant start, Instant end) {

    public RequestFilter {
        Objects.requireNonNull(accountId, "accountId");
    }

    public static RequestFilter account(String accountId) {
        return new RequestFilter(accountId, null, null, null, null, null);
    }

    /** Whether anything beyond the account and the period narrows the rows (read and then dropped by DynamoDB). */
    public boolean narrowsRows() {
        return model != null || status != null;
    }
}
