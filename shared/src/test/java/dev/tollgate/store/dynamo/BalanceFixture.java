package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.accounts.Account;
import dev.tollgate.billing.Charge;
import dev.tollgate.billing.Hold;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Accounts, keys, holds and charges for the DynamoDB balance store ITs, on tables created in DynamoDB
 * Local. Every account is new, so tests sharing one instance never see each other's money.
 */
final class BalanceFixture {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Duration HOLD_TTL = Duration.ofMinutes(5);
    static final String MODEL = "qwen3:latest";

    final DynamoDbClient client;
    final DynamoTables tables;
    final DynamoBalanceStore balances;
    final DynamoAccountStore accounts;
    final DynamoKeyStore keys;

    BalanceFixture(DynamoDbClient client) {
        this.client = client;
        this.tables = DynamoTables.withPrefix("t-");
        tables.createMissing(client);
        this.balances = new DynamoBalanceStore(client, tables);
        this.accounts = new DynamoAccountStore(client, tables);
        this.keys = new DynamoKeyStore(client, tables);
    }

    /** A new account holding {@code openingMicros}, credited by an opening ledger entry, and its first key (no budget). */
    ApiKey account(long openingMicros) {
        String accountId = Ids.newId("acct");
        Money opening = Money.ofMicros(openingMicros);
        ApiKey first = ApiKey.create(Ids.newId("key"), accountId, KeySecret.generate(), "first", KeyRole.MANAGEMENT, T0);
        accounts.createWithKey(new Account(accountId, "test " + accountId, opening, T0),
                LedgerEntry.of(accountId, "opening-" + accountId, LedgerType.ADMIN_CREDIT, opening, T0.minusSeconds(60),
                        "test", "opening credit"),
                first);
        return first;
    }

    /** A second key on {@code accountId} that may spend at most {@code budgetMicros}. */
    ApiKey budgetKey(String accountId, long budgetMicros) {
        KeySecret secret = KeySecret.generate();
        ApiKey key = new ApiKey(Ids.newId("key"), accountId, secret.hash(), secret.prefix(), "budgeted", KeyRole.INFERENCE,
                Money.ofMicros(budgetMicros), Money.ZERO, Set.of(), null, false, null, T0, null);
        keys.create(key);
        return key;
    }

    Hold hold(ApiKey key, long amountMicros) {
        return hold(key, amountMicros, T0.plus(HOLD_TTL));
    }

    Hold hold(ApiKey key, long amountMicros, Instant expiresAt) {
        return new Hold(Ids.newId("req"), key.accountId(), key.keyId(), key.secretHash(), key.budget() != null,
                Money.ofMicros(amountMicros), MODEL, T0, expiresAt);
    }

    /** The charge for {@code hold} costing {@code costMicros}, for 100 prompt and 20 completion tokens. */
    static Charge charge(Hold hold, long costMicros) {
        return new Charge(hold.holdId(), hold.accountId(), hold.keyId(), hold.model(), new TokenUsage(100, 20, 5, 10, false),
                Money.ofMicros(costMicros), "ok", 250, T0.plusSeconds(3));
    }

    /**
     * A free request's entry as versions before packing and fixed-width times wrote it: an item of its own, its time
     * stored as {@code storedAt} in their short form (e.g. {@code 12:00:00Z}, {@code 12:00:00.250Z}). Returns its id.
     */
    String shortFormEntry(ApiKey key, String storedAt) {
        String id = Ids.newId("req");
        Map<String, AttributeValue> item = new java.util.HashMap<>(LedgerItems.toItem(DynamoBalanceStore.chargeEntry(
                new Charge(id, key.accountId(), key.keyId(), MODEL, TokenUsage.NONE, Money.ZERO, "ok", 1,
                        Instant.parse(storedAt), "k", false), Money.ZERO, Money.ZERO, null)));
        item.put("at", AttributeValue.fromS(storedAt));
        client.putItem(b -> b.tableName(tables.ledger()).item(item));
        return id;
    }

    long balance(String accountId) {
        return balances.balance(accountId).orElseThrow().micros();
    }

    List<LedgerEntry> ledger(String accountId) {
        return balances.ledger(accountId);
    }

    long ledgerSum(String accountId) {
        return ledger(accountId).stream().mapToLong(e -> e.amount().micros()).sum();
    }

    /** Ledger entries with this id: an idempotency key must never appear twice. */
    List<LedgerEntry> entries(String accountId, String entryId) {
        return ledger(accountId).stream().filter(e -> e.entryId().equals(entryId)).toList();
    }

    /** The key item's {@code remaining} and {@code spent}, in µ$. */
    long[] keyRemainingAndSpent(ApiKey key) {
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(tables.keys())
                .key(Map.of("keyHash", AttributeValue.fromS(key.secretHash()))).consistentRead(true)).item();
        return new long[] {Attr.num(item, "remaining"), Attr.num(item, "spent")};
    }

    Map<String, AttributeValue> holdItem(String holdId) {
        return client.getItem(b -> b.tableName(tables.holds())
                .key(Map.of("holdId", AttributeValue.fromS(holdId))).consistentRead(true)).item();
    }

    /** The invariant from DESIGN.md: with no open holds, the balance is the sum of the ledger. */
    void assertBalanceEqualsLedger(String accountId) {
        assertThat(balance(accountId)).as("balance of %s vs. its ledger", accountId).isEqualTo(ledgerSum(accountId));
    }

    /**
     * Runs {@code count} tasks on as many platform threads, released together by one latch so they hit
     * DynamoDB at the same moment. Each result is the task's value or the exception it threw.
     */
    static <T> List<Object> race(int count, IntFunction<Callable<T>> task) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch ready = new CountDownLatch(count);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Callable<T> work = task.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        return work.call();
                    } catch (Exception e) {
                        return e;
                    }
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all threads started").isTrue();
            go.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : futures) {
                try {
                    results.add(f.get(60, TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new AssertionError("a racing task did not finish", e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
