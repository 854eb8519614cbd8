package dev.tollgate.store.dynamo;

import dev.tollgate.ledger.LedgerCursor;
import dev.tollgate.ledger.RequestFilter;
import dev.tollgate.ledger.RequestPage;
import dev.tollgate.ledger.RequestStatus;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One request log page, from ledger items read newest first: single entries and packs of free requests' entries.
 * Rows are ordered by their stored time, then id, both descending: the index's order for single entries. A pack is
 * read at its newest entry's time and holds entries up to {@link FreeEntryPacks#SPAN} older, so rows wait here until
 * the reading has passed their time (nothing still unread can be newer), and are then final. Rows at or before
 * the cursor, outside the period, or not matching the model or status filter are dropped (packs just above a bound
 * are read for their older rows); a row repeated by a pack written twice, or by a pack read twice, is kept once.
 */
final class RequestMerge {

    private static final Logger LOG = LoggerFactory.getLogger(RequestMerge.class);
    /** After every id: a cursor at "the reading stopped at this time" keeps all rows of that time. */
    private static final String AFTER_ALL_IDS = "~";
    private static final Comparator<Row> NEWEST_FIRST = (a, b) -> compare(b.at(), b.id(), a.at(), a.id());

    private record Row(String at, String id, Map<String, AttributeValue> item) {
    }

    /** Two positions in the log's order by stored time, then id: positive when the first is the newer. */
    private static int compare(String at, String id, String otherAt, String otherId) {
        int byTime = at.compareTo(otherAt);
        return byTime != 0 ? byTime : id.compareTo(otherId);
    }

    private final RequestFilter filter;
    private final LedgerCursor after;
    private final String start;
    private final String end;
    private final PriorityQueue<Row> waiting = new PriorityQueue<>(NEWEST_FIRST);
    private final List<Row> rows = new ArrayList<>();
    private String readTo;

    RequestMerge(RequestFilter filter, LedgerCursor after) {
        this.filter = filter;
        this.after = after;
        this.start = filter.start() == null ? null : LedgerItems.sortableTime(filter.start());
        this.end = filter.end() == null ? null : LedgerItems.sortableTime(filter.end());
    }

    /** The entries of a pack, or none (with a warning) when it cannot be read: one bad item must not fail the log. */
    static List<Map<String, AttributeValue>> unpacked(Map<String, AttributeValue> pack) {
        try {
            return FreeEntryPacks.unpack(pack);
        } catch (UncheckedIOException | IllegalStateException e) {
            LOG.warn("ledger item {} of account {} is skipped: {}", Attr.str(pack, "entryId"), Attr.str(pack, "accountId"),
                    e.getMessage());
            return List.of();
        }
    }

    /** Takes the next item in index order (newest first). */
    void read(Map<String, AttributeValue> item) {
        String at = Attr.str(item, "at");
        readTo(at);
        if (FreeEntryPacks.isPack(item)) {
            for (Map<String, AttributeValue> entry : unpacked(item)) {
                offer(entry);
            }
        } else {
            offer(item);
        }
    }

    /** The reading has passed every item newer than {@code at}: rows newer than it are final. */
    void readTo(String at) {
        readTo = at;
        while (!waiting.isEmpty() && waiting.peek().at().compareTo(at) > 0) {
            take(waiting.poll());
        }
    }

    /** There is nothing more to read: every row waiting is final. */
    void readAll() {
        while (!waiting.isEmpty()) {
            take(waiting.poll());
        }
    }

    int rows() {
        return rows.size();
    }

    int waiting() {
        return waiting.size();
    }

    /** The first {@code limit} final rows, and a cursor after the last of them when there are more. */
    RequestPage page(int limit) {
        return page(limit, rows.size() > limit);
    }

    /**
     * The final rows of a page whose reading ran out of budget, and where the next page resumes: after its last row,
     * or, when it has none, after the time the reading stopped at (rows of that very time are kept for the next).
     */
    RequestPage pageOutOfBudget(int limit) {
        if (!rows.isEmpty()) {
            return page(limit, true);
        }
        // Never behind where this page began (only possible when a budget's worth of items share one time).
        boolean behind = after != null && compare(readTo, AFTER_ALL_IDS, after.at(), after.entryId()) > 0;
        return new RequestPage(List.of(), behind ? after : new LedgerCursor(readTo, AFTER_ALL_IDS));
    }

    /** The first {@code limit} final rows, with a cursor after the last of them when {@code more}. */
    private RequestPage page(int limit, boolean more) {
        List<Row> page = rows.subList(0, Math.min(limit, rows.size()));
        LedgerCursor next = more ? new LedgerCursor(page.getLast().at(), page.getLast().id()) : null;
        return new RequestPage(page.stream().map(r -> LedgerViews.request(r.item())).toList(), next);
    }

    private void offer(Map<String, AttributeValue> item) {
        if (!LedgerViews.isRequest(item)) {
            return;
        }
        Row row = new Row(Attr.str(item, "at"), Attr.str(item, "entryId"), item);
        if (after != null && compare(row.at(), row.id(), after.at(), after.entryId()) >= 0) {
            return; // at or before the cursor's position: on an earlier page
        }
        if ((start != null && row.at().compareTo(start) < 0) || (end != null && row.at().compareTo(end) >= 0)) {
            return;
        }
        String status = Attr.str(item, "status");
        if (filter.model() != null && !filter.model().equals(Attr.str(item, "model"))) {
            return;
        }
        if (filter.status() != null && !filter.status().equals(RequestStatus.base(status))) {
            return;
        }
        waiting.add(row);
    }

    private void take(Row row) {
        if (!rows.isEmpty() && compare(rows.getLast().at(), rows.getLast().id(), row.at(), row.id()) == 0) {
            return; // the same entry from a pack written twice
        }
        rows.add(row);
    }
}
