package dev.tollgate.bench.costs;

import java.math.BigDecimal;
import java.util.List;

/**
 * DynamoDB work of one request kind, as functions' {@code DynamoCostPerRequestIT} measures it on the real server
 * (warm caches, every item under 1 KB). That test also checks docs/COSTS.md quotes each row, which the
 * calculator prints from here: change the two together.
 *
 * @param kind         the row's label
 * @param writeCalls   DynamoDB API calls that write
 * @param itemsWritten items written, over all tables
 * @param wru          write request units
 * @param readCalls    API calls that read
 * @param rru          read request units
 */
public record Footprint(String kind, int writeCalls, int itemsWritten, BigDecimal wru, int readCalls, BigDecimal rru) {

    /**
     * Hold (account, hold, key), settlement (account, hold, key, ledger with its byTime and byKey index entries,
     * usage), the balance read after it.
     */
    public static final Footprint PAID_CHAT = of("paid chat, buffered", 2, 8, "22", 1, "1");
    /** The paid chat's, plus the account's stream slot taken and given back (two UpdateItem). */
    public static final Footprint PAID_STREAM = of("paid chat, streamed", 4, 10, "24", 2, "2");
    /** A stream that recorded its progress three times: three more UpdateItem of the hold (table and index). */
    public static final Footprint PAID_STREAM_3_RECORDS = of("paid chat, streamed, 3 progress records", 7, 13, "30", 2, "2");
    /** Nothing per request: usage and the request log's entries are kept in memory and flushed every second. */
    public static final Footprint FREE_CHAT = of("free chat", 0, 0, "0", 0, "0");
    /**
     * One flush after a free request: one UpdateItem per account, UTC day and model that had free requests since the
     * last, and one BatchWriteItem of the requests' ledger entries, packed per key and second: here one pack (3 WRU:
     * the table, byTime, byKey).
     */
    public static final Footprint FREE_FLUSH = of("free usage flush", 2, 2, "4", 0, "0");
    /**
     * What one free request's ledger entry adds to a flush when it is alone in its second (a pack of one); packed
     * with others, a share of a pack (~0.12 WRU each at ~40 bytes an entry).
     */
    public static final BigDecimal WRU_PER_FREE_LOG_ENTRY = new BigDecimal("3");
    /** No hold: one transaction charges the known cost (account, key, ledger with its two index entries, usage). */
    public static final Footprint EMBEDDINGS = of("embeddings", 1, 4, "11", 1, "1");
    public static final Footprint TOP_UP_CHECKOUT = of("top-up checkout", 2, 2, "6", 1, "1");
    public static final Footprint TOP_UP_WEBHOOK = of("top-up webhook", 1, 3, "9", 2, "2");

    public static final List<Footprint> MEASURED = List.of(PAID_CHAT, PAID_STREAM, PAID_STREAM_3_RECORDS, FREE_CHAT,
            FREE_FLUSH, EMBEDDINGS, TOP_UP_CHECKOUT, TOP_UP_WEBHOOK);

    /** What one progress record adds: one UpdateItem of the hold, 1 WRU for the table and 1 for its index. */
    public static final BigDecimal WRU_PER_PROGRESS_RECORD = PAID_STREAM_3_RECORDS.wru.subtract(PAID_STREAM.wru)
            .divide(BigDecimal.valueOf(3));

    private static Footprint of(String kind, int writeCalls, int items, String wru, int readCalls, String rru) {
        return new Footprint(kind, writeCalls, items, new BigDecimal(wru), readCalls, new BigDecimal(rru));
    }
}
