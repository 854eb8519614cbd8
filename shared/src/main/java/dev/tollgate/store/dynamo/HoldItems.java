package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.Attr.num;
import static dev.tollgate.store.dynamo.Attr.str;

import dev.tollgate.billing.Hold;
import dev.tollgate.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps holds to items. An open hold carries {@code openShard}, which puts it in the sparse
 * {@code openByExpiry} index the reconciler reads; settling removes it. Open holds are spread over
 * {@value #SHARDS} index partitions so a busy deployment does not write one hot partition.
 */
final class HoldItems {

    static final int SHARDS = 8;
    static final String OPEN = "open";
    static final String SETTLED = "settled";
    static final String RELEASED = "released";
    /** Closed holds stay readable this long for investigations, then DynamoDB's TTL deletes them. */
    static final Duration RETENTION = Duration.ofDays(30);
    /** Set on holds counted in the account's {@code held} total; holds opened before it existed lack it. */
    static final String IN_HELD_TOTAL = "inHeldTotal";

    private HoldItems() {
    }

    static Map<String, AttributeValue> toItem(Hold hold) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("holdId", Attr.s(hold.holdId()));
        item.put("accountId", Attr.s(hold.accountId()));
        item.put("keyId", Attr.s(hold.keyId()));
        item.put("keyHash", Attr.s(hold.keyHash()));
        item.put("keyBudgeted", Attr.bool(hold.keyBudgeted()));
        item.put("amount", Attr.money(hold.amount()));
        item.put("model", Attr.s(hold.model()));
        item.put("createdAt", Attr.s(hold.createdAt().toString()));
        item.put("expiresAt", Attr.n(hold.expiresAt().toEpochMilli()));
        item.put("openShard", Attr.s(shard(hold.holdId())));
        item.put("state", Attr.s(OPEN));
        item.put("ttl", Attr.n(hold.expiresAt().plus(RETENTION).getEpochSecond()));
        if (hold.keyName() != null) {
            item.put("keyName", Attr.s(hold.keyName()));
        }
        item.put("streamed", Attr.bool(hold.streamed()));
        item.put(IN_HELD_TOTAL, Attr.bool(hold.inHeldTotal()));
        return item;
    }

    static Hold fromItem(Map<String, AttributeValue> item) {
        return new Hold(str(item, "holdId"), str(item, "accountId"), str(item, "keyId"), str(item, "keyHash"),
                Attr.flag(item, "keyBudgeted"), Money.ofMicros(num(item, "amount")), str(item, "model"),
                Instant.parse(str(item, "createdAt")), Instant.ofEpochMilli(num(item, "expiresAt")), str(item, "keyName"),
                Attr.flag(item, "streamed"), Attr.flag(item, IN_HELD_TOTAL));
    }

    static String shard(String holdId) {
        return OPEN + "#" + Math.floorMod(holdId.hashCode(), SHARDS);
    }
}
