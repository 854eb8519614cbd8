package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.Attr.num;
import static dev.tollgate.store.dynamo.Attr.str;

import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.ledger.RequestDetails;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** Maps ledger entries to items. An entry's id is its idempotency key: the put refuses a second one. */
final class LedgerItems {

    /** Pinned by a test: a ledger entry is written once per idempotency key. */
    static final String APPEND_CONDITION = "attribute_not_exists(entryId)";
    static final String MARK_REVERSED = "SET reversed = :true";
    /** Only a request's own entry, and once (the reversing entry's append condition makes the whole reversal once). */
    static final String MARK_REVERSED_IF = "attribute_exists(entryId) AND attribute_exists(model)";

    private static final DateTimeFormatter SORTABLE = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private LedgerItems() {
    }

    static TransactWriteItem append(DynamoTables tables, LedgerEntry entry) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tables.ledger()).item(toItem(entry))
                .conditionExpression(APPEND_CONDITION).build()).build();
    }

    /**
     * Marks a request's entry as reversed, beside the reversing entry: the request log shows the request once, with
     * {@code reversed}, instead of as two requests. Entries are otherwise never changed.
     */
    static TransactWriteItem markReversed(DynamoTables tables, String accountId, String requestId) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tables.ledger())
                .key(Map.of("accountId", Attr.s(accountId), "entryId", Attr.s(requestId)))
                .updateExpression(MARK_REVERSED).conditionExpression(MARK_REVERSED_IF)
                .expressionAttributeValues(Map.of(":true", Attr.bool(true))).build()).build();
    }

    static Map<String, AttributeValue> toItem(LedgerEntry e) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("accountId", Attr.s(e.accountId()));
        item.put("entryId", Attr.s(e.entryId()));
        item.put("type", Attr.s(e.type().wire()));
        item.put("amount", Attr.money(e.amount()));
        item.put("at", Attr.s(sortableTime(e.at())));
        putIfPresent(item, "keyId", e.keyId());
        putIfPresent(item, "reference", e.reference());
        putIfPresent(item, "note", e.note());
        RequestDetails r = e.request();
        if (r != null) {
            item.put("model", Attr.s(r.model()));
            item.put("status", Attr.s(r.status()));
            item.put("latencyMs", Attr.n(r.latencyMs()));
            item.put("promptTokens", Attr.n(r.usage().promptTokens()));
            item.put("completionTokens", Attr.n(r.usage().completionTokens()));
            item.put("reasoningTokens", Attr.n(r.usage().reasoningTokens()));
            item.put("cachedTokens", Attr.n(r.usage().cachedTokens()));
            if (r.usage().cacheWriteTokens() > 0) {
                item.put("cacheWriteTokens", Attr.n(r.usage().cacheWriteTokens()));
            }
            item.put("usageCounted", Attr.bool(r.usage().counted()));
            item.put("shortfall", Attr.money(r.shortfall()));
            putIfPresent(item, "keyName", r.keyName());
            putIfPresent(item, "route", r.route());
            if (r.streamed() != null) {
                item.put("streamed", Attr.bool(r.streamed()));
            }
            if (r.hold() != null) {
                item.put("hold", Attr.money(r.hold()));
            }
        }
        if (!e.debtChange().isZero()) {
            item.put("debtChange", Attr.money(e.debtChange()));
        }
        return item;
    }

    static LedgerEntry fromItem(Map<String, AttributeValue> item) {
        RequestDetails details = null;
        if (item.containsKey("model")) {
            TokenUsage usage = new TokenUsage(num(item, "promptTokens"), num(item, "completionTokens"),
                    num(item, "reasoningTokens"), num(item, "cachedTokens"), Attr.flag(item, "usageCounted"),
                    num(item, "cacheWriteTokens"));
            details = new RequestDetails(str(item, "model"), usage, str(item, "status"), num(item, "latencyMs"),
                    Money.ofMicros(num(item, "shortfall")), str(item, "keyName"),
                    item.containsKey("streamed") ? Attr.flag(item, "streamed") : null, Attr.moneyOrNull(item, "hold"),
                    str(item, "route"));
        }
        return new LedgerEntry(str(item, "accountId"), str(item, "entryId"),
                LedgerType.valueOf(str(item, "type").toUpperCase(Locale.ROOT)), Money.ofMicros(num(item, "amount")),
                Instant.parse(str(item, "at")), str(item, "keyId"), str(item, "reference"), str(item, "note"), details,
                Money.ofMicros(num(item, "debtChange")));
    }

    /**
     * An entry's time as its sort key: ISO-8601 with all nine fraction digits, so that string order is time order
     * ({@code Instant.toString} drops trailing zero digits, and "12:00:00Z" would sort after "12:00:00.5Z"). Entries
     * written before this were in the short form; both parse with {@code Instant.parse}.
     */
    static String sortableTime(Instant at) {
        return SORTABLE.format(at);
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, Attr.s(value));
        }
    }
}
