package dev.tollgate.ledger;

import java.util.Optional;

/**
 * Port: the request log, read from the ledger entries that settlements write (one per request). Reads never scan:
 * the DynamoDB adapter queries one account's (or one key's) entries in time order; see docs/adr/0008.
 */
public interface RequestLog {

    /**
     * Requests matching {@code filter}, newest first, from {@code after} (exclusive; {@code null} for the newest).
     * At most {@code limit} rows; fewer when the model or status filter dropped rows and the page's read budget
     * ran out, in which case {@link RequestPage#next()} says where to go on.
     */
    RequestPage list(RequestFilter filter, int limit, LedgerCursor after);

    /** One request of the account by its id (the {@code x-request-id} of its response), read consistently. */
    Optional<RequestRecord> find(String accountId, String requestId);
}
