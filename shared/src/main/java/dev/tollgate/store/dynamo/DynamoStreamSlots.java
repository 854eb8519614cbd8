package dev.tollgate.store.dynamo;

import dev.tollgate.billing.StreamSlots;
import dev.tollgate.billing.TooManyStreamsException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link StreamSlots} in DynamoDB: one small item per account in the holds table (no table of its own), holdId
 * {@code streams#<accountId>}, holding the map {@code leases} (request id → lease end, epoch ms) and the counter
 * {@code openStreams}. Every write changes both together, so the counter is always the map's size.
 *
 * <ul>
 *   <li>acquire: one conditional UpdateItem (counter below the cap, this request's lease absent) that adds the
 *       lease and counts it; the account's first acquire creates the item with a conditional put instead;</li>
 *   <li>release: removes the lease and uncounts it, on the condition that the lease is there, so a second
 *       release changes nothing;</li>
 *   <li>extend: moves a lease's end, on the same condition, and leaves the count alone (a pool's kept slot reused
 *       for a longer stream);</li>
 *   <li>expiry: an acquire refused by the cap looks at the item it was refused by (returned with the refusal,
 *       so no extra read), removes the leases whose end has passed, each on the condition that it still holds
 *       the end it read, and tries once more.</li>
 * </ul>
 *
 * <p>The item has no {@code openShard}, so the reconciler's index of open holds never sees it; its {@code ttl}
 * (a day after the latest lease's end) lets DynamoDB delete it once the account has stopped streaming. Each
 * stream costs two writes of this item on Lambda, at most one through {@code PooledStreamSlots} (about 50 bytes per
 * open lease); at the {@value #MAX_CAP} cap an item stays far below DynamoDB's 400 KB limit. The expressions are
 * pinned by {@code StreamSlotExpressionsTest}.
 */
public final class DynamoStreamSlots implements StreamSlots {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoStreamSlots.class);

    static final String ITEM_PREFIX = "streams#";
    /** Bounds the item's size: one lease of about 50 bytes per open stream. */
    public static final int MAX_CAP = 1000;
    /** A refused caller is told to retry within this: streams usually end long before their lease does. */
    static final Duration RETRY_AFTER_MAX = Duration.ofSeconds(5);
    /** How long after the latest lease's end DynamoDB's TTL may delete the item. */
    static final Duration RETENTION = Duration.ofDays(1);

    static final String ACQUIRE = "SET leases.#lease = :until, #ttl = :ttl ADD openStreams :one";
    static final String ACQUIRE_IF = "attribute_exists(holdId) AND openStreams < :cap AND attribute_not_exists(leases.#lease)";
    static final String CREATE_IF = "attribute_not_exists(holdId)";
    static final String RELEASE = "REMOVE leases.#lease ADD openStreams :minusOne";
    static final String RELEASE_IF = "attribute_exists(leases.#lease)";
    static final String EXTEND = "SET leases.#lease = :until, #ttl = :ttl";
    static final String EXTEND_IF = "attribute_exists(leases.#lease)";
    /** An expired lease is removed only if it still ends when it was read to end (not released and retaken since). */
    static final String RECLAIM_IF = "leases.#lease = :until";

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;
    private final int cap;

    /** @param cap the most streams one account may have open at once, 1 to {@value #MAX_CAP} */
    public DynamoStreamSlots(DynamoDbClient dynamo, DynamoTables tables, int cap) {
        if (cap < 1 || cap > MAX_CAP) {
            throw new IllegalArgumentException("the cap on open streams per account must be 1 to " + MAX_CAP
                    + " (0, no cap, is StreamSlots.UNLIMITED), not " + cap);
        }
        this.dynamo = dynamo;
        this.tables = tables;
        this.cap = cap;
    }

    public int cap() {
        return cap;
    }

    @Override
    public Slot acquire(String accountId, String requestId, Instant now, Instant leaseUntil) {
        if (requestId == null || requestId.isEmpty()) {
            throw new IllegalArgumentException("a stream slot needs a request id");
        }
        Slot slot = new Slot(accountId, requestId, leaseUntil);
        Map<String, AttributeValue> refusedBy = take(slot);
        if (refusedBy == null) {
            return slot;
        }
        Slot held = heldBy(refusedBy, slot);
        if (held != null) {
            return held;
        }
        // Refused by the cap. Leases of processes that died without releasing free their slots now: try once more.
        if (reclaimExpired(accountId, refusedBy, now) > 0) {
            refusedBy = take(slot);
            if (refusedBy == null) {
                return slot;
            }
            held = heldBy(refusedBy, slot);
            if (held != null) {
                return held;
            }
        }
        throw new TooManyStreamsException(cap, retryAfter(refusedBy, now));
    }

    @Override
    public void release(String accountId, String requestId) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.holds()).key(key(accountId))
                    .updateExpression(RELEASE).conditionExpression(RELEASE_IF)
                    .expressionAttributeNames(Map.of("#lease", requestId))
                    .expressionAttributeValues(Map.of(":minusOne", Attr.n(-1))));
        } catch (ConditionalCheckFailedException alreadyFree) {
            // released before, reclaimed as expired, or never taken: nothing to do
        } catch (RuntimeException e) {
            LOG.warn("request {}: could not release its stream slot of account {}; it frees itself when its lease ends: {}",
                    requestId, accountId, e.toString());
        }
    }

    @Override
    public boolean extend(String accountId, String requestId, Instant leaseUntil) {
        if (requestId == null || requestId.isEmpty()) {
            throw new IllegalArgumentException("a stream slot's extension needs its lease id");
        }
        try {
            dynamo.updateItem(b -> b.tableName(tables.holds()).key(key(accountId))
                    .updateExpression(EXTEND).conditionExpression(EXTEND_IF)
                    .expressionAttributeNames(Map.of("#lease", requestId, "#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":until", Attr.n(leaseUntil.toEpochMilli()),
                            ":ttl", Attr.n(leaseUntil.plus(RETENTION).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException notHeld) {
            return false;
        }
    }

    /**
     * Adds the slot's lease to the account's item: {@code null} when it was taken, else the item as it was when
     * the conditions refused it. The account's first slot creates the item.
     */
    private Map<String, AttributeValue> take(Slot slot) {
        long until = slot.leaseUntil().toEpochMilli();
        long ttl = slot.leaseUntil().plus(RETENTION).getEpochSecond();
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                dynamo.updateItem(b -> b.tableName(tables.holds()).key(key(slot.accountId()))
                        .updateExpression(ACQUIRE).conditionExpression(ACQUIRE_IF)
                        .expressionAttributeNames(Map.of("#lease", slot.requestId(), "#ttl", "ttl"))
                        .expressionAttributeValues(Map.of(":until", Attr.n(until), ":ttl", Attr.n(ttl),
                                ":one", Attr.n(1), ":cap", Attr.n(cap)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return null;
            } catch (ConditionalCheckFailedException e) {
                if (e.hasItem() && !e.item().isEmpty()) {
                    return e.item();
                }
            }
            if (create(slot, until, ttl)) {
                return null;
            }
            // Another request created the item first: add to it.
        }
        throw new IllegalStateException("could not take a stream slot for account " + slot.accountId()
                + ": its item kept appearing and disappearing");
    }

    private boolean create(Slot slot, long until, long ttl) {
        Map<String, AttributeValue> item = new HashMap<>(key(slot.accountId()));
        item.put("accountId", Attr.s(slot.accountId()));
        item.put("leases", AttributeValue.fromM(Map.of(slot.requestId(), Attr.n(until))));
        item.put("openStreams", Attr.n(1));
        item.put("ttl", Attr.n(ttl));
        try {
            dynamo.putItem(b -> b.tableName(tables.holds()).item(item).conditionExpression(CREATE_IF));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Removes the leases of {@code item} that ended by {@code now}; returns how many had ended. */
    private int reclaimExpired(String accountId, Map<String, AttributeValue> item, Instant now) {
        int expired = 0;
        for (Map.Entry<String, AttributeValue> lease : leases(item).entrySet()) {
            long until = Long.parseLong(lease.getValue().n());
            if (until > now.toEpochMilli()) {
                continue;
            }
            expired++;
            try {
                dynamo.updateItem(b -> b.tableName(tables.holds()).key(key(accountId))
                        .updateExpression(RELEASE).conditionExpression(RECLAIM_IF)
                        .expressionAttributeNames(Map.of("#lease", lease.getKey()))
                        .expressionAttributeValues(Map.of(":minusOne", Attr.n(-1), ":until", Attr.n(until))));
                LOG.info("account {}: reclaimed the stream slot of request {}, whose lease ended at {} without a release",
                        accountId, lease.getKey(), Instant.ofEpochMilli(until));
            } catch (ConditionalCheckFailedException e) {
                // released or reclaimed by someone else meanwhile: the slot is free either way
            }
        }
        return expired;
    }

    /** The slot the request already holds according to {@code item}, or {@code null}. */
    private static Slot heldBy(Map<String, AttributeValue> item, Slot wanted) {
        AttributeValue lease = leases(item).get(wanted.requestId());
        return lease == null ? null
                : new Slot(wanted.accountId(), wanted.requestId(), Instant.ofEpochMilli(Long.parseLong(lease.n())));
    }

    /** Until the earliest lease ends, but no longer than {@link #RETRY_AFTER_MAX}. */
    private static Duration retryAfter(Map<String, AttributeValue> item, Instant now) {
        Duration wait = RETRY_AFTER_MAX;
        for (AttributeValue lease : leases(item).values()) {
            Duration left = Duration.between(now, Instant.ofEpochMilli(Long.parseLong(lease.n())));
            if (left.compareTo(wait) < 0) {
                wait = left.isNegative() ? Duration.ZERO : left;
            }
        }
        return wait;
    }

    private static Map<String, AttributeValue> leases(Map<String, AttributeValue> item) {
        AttributeValue leases = item.get("leases");
        return leases == null || !leases.hasM() ? Map.of() : leases.m();
    }

    private static Map<String, AttributeValue> key(String accountId) {
        return Map.of("holdId", Attr.s(ITEM_PREFIX + accountId));
    }
}
