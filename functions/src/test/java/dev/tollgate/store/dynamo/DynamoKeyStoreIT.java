package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.accounts.Account;
import dev.tollgate.billing.Charge;
import dev.tollgate.billing.Hold;
import dev.tollgate.billing.InsufficientFundsException;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Change;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.keys.KeyUpdate;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.LocalDynamo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Key updates against DynamoDB Local, above all the budget change racing holds: {@code remaining} must
 * equal {@code budget - spent} afterwards, or a key could spend past (or be stopped short of) its budget.
 * (In functions because shared's test tree is owned elsewhere; same package for the pinned constants.)
 */
class DynamoKeyStoreIT {

    static LocalDynamo dynamo;
    static DynamoTables tables;
    static DynamoKeyStore keys;
    static DynamoBalanceStore balances;
    static DynamoAccountStore accounts;
    static final AtomicInteger IDS = new AtomicInteger();

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        tables = DynamoTables.withPrefix("ks-");
        tables.createMissing(dynamo.client());
        keys = new DynamoKeyStore(dynamo.client(), tables);
        balances = new DynamoBalanceStore(dynamo.client(), tables);
        accounts = new DynamoAccountStore(dynamo.client(), tables);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void theConditionsArePinned() {
        assertThat(KeyUpdates.UPDATE_IF).isEqualTo("attribute_exists(keyHash) AND attribute_not_exists(revokedAt)");
        assertThat(KeyUpdates.UPDATE_BUDGET_IF).isEqualTo(KeyUpdates.UPDATE_IF + " AND #spent = :seenSpent");
        assertThat(KeyUpdates.REVOKE_IF).isEqualTo("attribute_exists(keyHash) AND attribute_not_exists(revokedAt)");
    }

    /**
     * Every write to a key item keeps {@code remaining = budget - spent} (holds and settlements move both
     * by the same amount), and a GetItem sees one item atomically, so any snapshot taken at any moment
     * must satisfy it. A budget change that lost a concurrent hold breaks it until the next change.
     */
    @Test
    void aBudgetChangeRacingHoldsKeepsRemainingEqualToBudgetMinusSpent() throws Exception {
        ApiKey key = newKey(Money.parseDollars("0.050000"));
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<?>> holders = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            holders.add(pool.submit(() -> holdAndSettle(key, 15, violations)));
        }
        Future<?> updater = pool.submit(() -> {
            for (int i = 0; !holders.stream().allMatch(Future::isDone); i++) {
                Money budget = Money.ofMicros(i % 2 == 0 ? 40_000 : 80_000);
                assertThat(keys.update(key.secretHash(), budget(budget))).isPresent();
                checkInvariant(key, violations);
            }
        });
        for (Future<?> f : holders) {
            f.get();
        }
        updater.get();
        pool.close();

        checkInvariant(key, violations);
        assertThat(violations).isEmpty();
        long charged = -balances.ledger(key.accountId()).stream().filter(e -> e.type() == LedgerType.CHARGE)
                .mapToLong(e -> e.amount().micros()).sum();
        assertThat(Attr.num(rawItem(key), "spent")).isEqualTo(charged);
    }

    @Test
    void removingTheBudgetRemovesRemainingAndSettingItAgainStartsFromSpent() {
        ApiKey key = newKey(Money.parseDollars("1.00"));
        holdAndSettle(key, 1, new ArrayList<>());

        ApiKey unlimited = keys.update(key.secretHash(), budget(null)).orElseThrow();
        assertThat(unlimited.budget()).isNull();
        assertThat(rawItem(key)).doesNotContainKeys("budget", "remaining");

        ApiKey limited = keys.update(key.secretHash(), budget(Money.parseDollars("2.00"))).orElseThrow();
        assertThat(limited.spent()).isEqualTo(Money.ofMicros(500));
        assertThat(Attr.num(rawItem(key), "remaining")).isEqualTo(2_000_000 - 500);
    }

    @Test
    void settingsChangeAndClearWithoutTouchingSpent() {
        ApiKey key = newKey(null);
        KeyUpdate set = new KeyUpdate(Change.to("renamed"), Change.keep(), Change.to(Set.of("gemma3:1b")),
                Change.to(Instant.parse("2099-01-01T00:00:00Z")), Change.to(30), Change.to(true));

        ApiKey changed = keys.update(key.secretHash(), set).orElseThrow();
        ApiKey cleared = keys.update(key.secretHash(), new KeyUpdate(Change.keep(), Change.keep(), Change.to(Set.of()),
                Change.to(null), Change.to(null), Change.to(false))).orElseThrow();

        assertThat(changed.name()).isEqualTo("renamed");
        assertThat(changed.allowedModels()).containsExactly("gemma3:1b");
        assertThat(changed.expiresAt()).isEqualTo(Instant.parse("2099-01-01T00:00:00Z"));
        assertThat(changed.rpmLimit()).isEqualTo(30);
        assertThat(changed.disabled()).isTrue();
        assertThat(cleared.name()).isEqualTo("renamed");
        assertThat(cleared.allowedModels()).isEmpty();
        assertThat(cleared.expiresAt()).isNull();
        assertThat(cleared.rpmLimit()).isNull();
        assertThat(cleared.disabled()).isFalse();
        assertThat(rawItem(key)).doesNotContainKeys("models", "expiresAt", "rpm");
    }

    @Test
    void aRevokedKeyKeepsItsFirstRevocationAndCannotBeChanged() {
        ApiKey key = newKey(null);
        Instant first = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(keys.revoke(key.secretHash(), first).orElseThrow().revokedAt()).isEqualTo(first);
        assertThat(keys.revoke(key.secretHash(), first.plusSeconds(60)).orElseThrow().revokedAt()).isEqualTo(first);
        assertThat(keys.update(key.secretHash(), budget(Money.parseDollars("1.00")))).isEmpty();
        assertThat(keys.revoke("no-such-hash", first)).isEmpty();
        assertThat(keys.update("no-such-hash", budget(null))).isEmpty();
    }

    /** Holds 1000 µ$ and settles 500 µ$, {@code times} times; a refused hold (budget too low) is fine. */
    private static void holdAndSettle(ApiKey key, int times, List<String> violations) {
        for (int i = 0; i < times; i++) {
            String id = "req_" + IDS.incrementAndGet();
            Instant now = Instant.now();
            Hold hold = new Hold(id, key.accountId(), key.keyId(), key.secretHash(), true, Money.ofMicros(1000),
                    "m", now, now.plusSeconds(600));
            try {
                balances.reserve(hold);
            } catch (InsufficientFundsException e) {
                continue;
            }
            balances.settle(hold, new Charge(id, key.accountId(), key.keyId(), "m", new TokenUsage(1, 1, 0, 0, true),
                    Money.ofMicros(500), "ok", 1, now));
            checkInvariant(key, violations);
        }
    }

    private static void checkInvariant(ApiKey key, List<String> violations) {
        Map<String, AttributeValue> item = rawItem(key);
        if (item.containsKey("budget") && Attr.num(item, "remaining") != Attr.num(item, "budget") - Attr.num(item, "spent")) {
            violations.add("remaining " + Attr.num(item, "remaining") + " != budget " + Attr.num(item, "budget")
                    + " - spent " + Attr.num(item, "spent"));
        }
    }

    private static ApiKey newKey(Money budget) {
        String accountId = "acct_" + IDS.incrementAndGet();
        Instant now = Instant.now();
        ApiKey key = ApiKey.create("key_" + IDS.incrementAndGet(), accountId, KeySecret.generate(), "k",
                KeyRole.INFERENCE, now);
        key = new KeyUpdate(Change.keep(), Change.to(budget), Change.keep(), Change.keep(), Change.keep(), Change.keep())
                .applyTo(key);
        Money credit = Money.parseDollars("100.00");
        accounts.createWithKey(new Account(accountId, "t", credit, now),
                LedgerEntry.of(accountId, "open:" + accountId, LedgerType.ADMIN_CREDIT, credit, now, null, null), key);
        return key;
    }

    private static KeyUpdate budget(Money budget) {
        return new KeyUpdate(Change.keep(), Change.to(budget), Change.keep(), Change.keep(), Change.keep(), Change.keep());
    }

    private static Map<String, AttributeValue> rawItem(ApiKey key) {
        return dynamo.client().getItem(b -> b.tableName(tables.keys())
                .key(Map.of("keyHash", AttributeValue.fromS(key.secretHash()))).consistentRead(true)).item();
    }
}
