package dev.tollgate.store.dynamo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.idempotency.IdempotencyRecord;
import dev.tollgate.idempotency.IdempotencyRecord.State;
import dev.tollgate.idempotency.IdempotencyStore;
import dev.tollgate.idempotency.StoredResponse;
import dev.tollgate.json.JsonBuffers;
import dev.tollgate.ledger.LedgerEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link IdempotencyStore} as items of the holds table (no table of its own, like the stream slots): holdId
 * {@code idem#<accountId>#<key>}, so the same key of two accounts is two items. An item has no {@code openShard}, so
 * the reconciler's index never sees it; its {@code ttl} (epoch seconds, the key's 24 h) lets DynamoDB delete it, and
 * since that deletion can lag by a day or two, a claim also overwrites an item whose {@code ttl} has passed by the
 * application's clock. The expressions are pinned by {@code IdempotencyExpressionsTest}.
 */
public final class DynamoIdempotencyStore implements IdempotencyStore {

    static final String ITEM_PREFIX = "idem#";
    static final String CLAIM_IF = "attribute_not_exists(holdId) OR #ttl <= :now";
    static final String OWNED_IF = "#owner = :owner AND #state = :running";
    static final String TAKE_OVER = "SET #owner = :next, leaseUntil = :lease";
    static final String FINISH = "SET #state = :state, #response = :response REMOVE leaseUntil";
    static final String FINISH_BARE = "SET #state = :state REMOVE leaseUntil";
    private static final ObjectMapper JSON = JsonBuffers.mapper();
    private static final TypeReference<List<StoredResponse.Header>> HEADERS = new TypeReference<>() {
    };

    private final DynamoDbClient dynamo;
    private final String table;
    private final String ledger;

    public DynamoIdempotencyStore(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.table = tables.holds();
        this.ledger = tables.ledger();
    }

    static Map<String, AttributeValue> key(String accountId, String key) {
        return Map.of("holdId", Attr.s(ITEM_PREFIX + accountId + "#" + key));
    }

    @Override
    public Optional<IdempotencyRecord> claim(IdempotencyRecord claim, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(claim.accountId(), claim.key()));
        item.put("accountId", Attr.s(claim.accountId()));
        item.put("fingerprint", Attr.s(claim.fingerprint()));
        item.put("requestId", Attr.s(claim.requestId()));
        item.put("owner", Attr.s(claim.owner()));
        item.put("state", Attr.s(claim.state().name()));
        item.put("leaseUntil", Attr.n(claim.leaseUntil().toEpochMilli()));
        item.put("ttl", Attr.n(claim.expiresAt().getEpochSecond()));
        // A refusal without the item means it was deleted (released) in between: claim again.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(CLAIM_IF)
                        .expressionAttributeNames(Map.of("#ttl", "ttl"))
                        .expressionAttributeValues(Map.of(":now", Attr.n(now.getEpochSecond())))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return Optional.empty();
            } catch (ConditionalCheckFailedException e) {
                if (e.hasItem() && !e.item().isEmpty()) {
                    return Optional.of(fromItem(claim.accountId(), claim.key(), e.item()));
                }
            }
        }
        throw new IllegalStateException("idempotency key of account " + claim.accountId() + " changes too fast to claim");
    }

    @Override
    public boolean takeOver(IdempotencyRecord stale, IdempotencyRecord next) {
        return conditional(() -> dynamo.updateItem(b -> b.tableName(table).key(key(stale.accountId(), stale.key()))
                .updateExpression(TAKE_OVER).conditionExpression(OWNED_IF)
                .expressionAttributeNames(Map.of("#owner", "owner", "#state", "state"))
                .expressionAttributeValues(Map.of(":owner", Attr.s(stale.owner()), ":running",
                        Attr.s(State.IN_PROGRESS.name()), ":next", Attr.s(next.owner()),
                        ":lease", Attr.n(next.leaseUntil().toEpochMilli())))));
    }

    @Override
    public boolean finish(IdempotencyRecord claim, State state, StoredResponse response) {
        Map<String, String> names = new HashMap<>(Map.of("#owner", "owner", "#state", "state"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":owner", Attr.s(claim.owner()),
                ":running", Attr.s(State.IN_PROGRESS.name()), ":state", Attr.s(state.name())));
        if (response != null) {
            names.put("#response", "response");
            values.put(":response", AttributeValue.fromM(responseItem(response)));
        }
        return conditional(() -> dynamo.updateItem(b -> b.tableName(table).key(key(claim.accountId(), claim.key()))
                .updateExpression(response == null ? FINISH_BARE : FINISH).conditionExpression(OWNED_IF)
                .expressionAttributeNames(names).expressionAttributeValues(values)));
    }

    @Override
    public boolean release(IdempotencyRecord claim) {
        return conditional(() -> dynamo.deleteItem(b -> b.tableName(table).key(key(claim.accountId(), claim.key()))
                .conditionExpression(OWNED_IF)
                .expressionAttributeNames(Map.of("#owner", "owner", "#state", "state"))
                .expressionAttributeValues(Map.of(":owner", Attr.s(claim.owner()),
                        ":running", Attr.s(State.IN_PROGRESS.name())))));
    }

    /**
     * The hold billing opened for the request id, and its ledger entry, read consistently. A request that failed
     * before anything reached the caller is settled at zero (a ledger entry of 0, no shortfall): that counts as
     * released, since nothing was charged.
     */
    @Override
    public HoldState holdOf(String accountId, String requestId) {
        Map<String, AttributeValue> hold = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("holdId", Attr.s(requestId))).consistentRead(true)).item();
        boolean held = hold != null && !hold.isEmpty();
        if (held && HoldItems.RELEASED.equals(Attr.str(hold, "state"))) {
            return HoldState.RELEASED;
        }
        if (held && !HoldItems.SETTLED.equals(Attr.str(hold, "state"))) {
            return HoldState.OPEN;
        }
        Map<String, AttributeValue> entry = dynamo.getItem(b -> b.tableName(ledger)
                .key(Map.of("accountId", Attr.s(accountId), "entryId", Attr.s(requestId))).consistentRead(true)).item();
        if (entry == null || entry.isEmpty()) {
            return held ? HoldState.SETTLED : HoldState.NONE;
        }
        LedgerEntry charge = LedgerItems.fromItem(entry);
        boolean nothingCharged = charge.amount().isZero()
                && charge.debtChange().isZero();
        return nothingCharged && held ? HoldState.RELEASED : HoldState.SETTLED;
    }

    private static boolean conditional(Runnable write) {
        try {
            write.run();
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> responseItem(StoredResponse response) {
        try {
            return Map.of("status", Attr.n(response.status()),
                    "headers", Attr.s(JSON.writeValueAsString(response.headers())),
                    "body", AttributeValue.fromB(SdkBytes.fromByteArray(response.body())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IdempotencyRecord fromItem(String accountId, String key, Map<String, AttributeValue> item) {
        AttributeValue lease = item.get("leaseUntil");
        AttributeValue response = item.get("response");
        return new IdempotencyRecord(accountId, key, Attr.str(item, "fingerprint"), Attr.str(item, "requestId"),
                Attr.str(item, "owner"), State.valueOf(Attr.str(item, "state")),
                lease == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(lease.n())),
                Instant.ofEpochSecond(Attr.num(item, "ttl")), response == null ? null : response(response.m()));
    }

    private static StoredResponse response(Map<String, AttributeValue> m) {
        try {
            return new StoredResponse(Integer.parseInt(m.get("status").n()),
                    JSON.readValue(m.get("headers").s(), HEADERS), m.get("body").b().asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
