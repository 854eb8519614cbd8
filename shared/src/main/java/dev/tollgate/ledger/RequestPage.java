package dev.tollgate.ledger;

import java.util.List;

/**
 * One page of the request log, newest first.
 *
 * @param next where the next page starts, or {@code null} when there is none; a page can be shorter than asked
 *             (even empty) and still have a next one when a model or status filter dropped most of the rows read
 */
public record RequestPage(List<RequestRecord> data, LedgerCursor next) {

    public RequestPage {
        data = List.copyOf(data);
    }

    public boolean hasMore() {
        return next != null;
    }

    /** The cursor to pass as {@code after} for the next page, or {@code null}. */
    public String nextCursor() {
        return next == null ? null : next.encode();
    }
}
