package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.T0;
import static dev.tollgate.store.dynamo.BalanceFixture.charge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.Charge;
import dev.tollgate.billing.Hold;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.ledger.LedgerCursor;
import dev.tollgate.ledger.LedgerHistory;
import dev.tollgate.ledger.LedgerTotals;
import dev.tollgate.ledger.Movement;
import dev.tollgate.ledger.MovementKind;
import dev.tollgate.ledger.RequestFilter;
import dev.tollgate.ledger.RequestPage;
import dev.tollgate.ledger.RequestRecord;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.LocalDynamo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The request log and ledger history adapters on DynamoDB Local: what settlements write is what they read, the account's
 * {@code held} total follows its open holds, a filtered page stops at its read budget and goes on from there, and
 * entries written before times had a fixed width still sort and page correctly.
 */
class LedgerReadsIT {

    private static LocalDynamo dynamo;
    private static BalanceFixture f;
    private static DynamoRequestLog log;
    private static DynamoLedgerHistory history;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        f = new BalanceFixture(dynamo.client());
        log = new DynamoRequestLog(dynamo.client(), f.tables);
        history = new DynamoLedgerHistory(dynamo.client(), f.tables);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void aSettledRequestReadsBackWithEverythingItsSettlementRecorded() throws Exception {
        ApiKey key = f.account(10_000_000);
        Hold hold = named(f.hold(key, 5_000), "ci", true);
        f.balances.reserve(hold);
        Charge charge = new Charge(hold.holdId(), key.accountId(), key.keyId(), "qwen3:latest",
                new TokenUsage(100, 20, 5, 10, false), Money.ofMicros(3_000), "client_disconnect", 250, T0.plusSeconds(3),
                "ci", true);
        f.balances.settle(hold, charge);

        RequestRecord r = log.find(key.accountId(), hold.holdId()).orElseThrow();

        assertThat(r).isEqualTo(new RequestRecord(hold.holdId(), key.accountId(), T0.plusSeconds(3), key.keyId(), "ci",
                "qwen3:latest", null, true, new TokenUsage(100, 20, 5, 10, false), Money.ofMicros(3_000),
                Money.ofMicros(3_000), Money.ofMicros(5_000), Money.ZERO, 250, "client_disconnect", false, false));
        assertThat(log.find(key.accountId(), "opening-" + key.accountId())).as("not a request").isEmpty();
        assertThat(log.find("acct_other", hold.holdId())).as("another account").isEmpty();
    }

    @Test
    void theHeldTotalFollowsOpenHoldsSoTheLedgerSumsToBalancePlusHeld() throws Exception {
        ApiKey key = f.account(1_000_000);
        Hold settled = f.hold(key, 40_000);
        Hold released = f.hold(key, 30_000);
        Hold beyond = f.hold(key, 10_000);
        Hold open = f.hold(key, 20_000);
        for (Hold h : List.of(settled, released, beyond, open)) {
            f.balances.reserve(h);
        }
        assertThat(totals(key)).isEqualTo(new LedgerTotals(Money.ofMicros(900_000), Money.ofMicros(100_000), Money.ZERO));

        f.balances.settle(settled, charge(settled, 15_000));
        f.balances.release(released, T0.plusSeconds(600));
        f.balances.settle(beyond, charge(beyond, 25_000)); // 15_000 beyond the hold, from the balance

        LedgerTotals totals = totals(key);
        assertThat(totals.held()).isEqualTo(Money.ofMicros(20_000));
        assertThat(totals.balance()).isEqualTo(Money.ofMicros(1_000_000 - 15_000 - 25_000 - 20_000));
        assertThat(totals.ledgerBalance().micros()).isEqualTo(f.ledgerSum(key.accountId()));
        f.balances.settle(open, charge(open, 0));
        assertThat(totals(key).held()).isEqualTo(Money.ZERO);
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void aHoldOpenedBeforeTheHeldTotalExistedLeavesItAlone() throws Exception {
        ApiKey key = f.account(1_000_000);
        Hold old = f.hold(key, 40_000);
        f.balances.reserve(old);
        // As an older version wrote it: no held total on the account, the hold not marked as counted in it.
        dynamo.client().updateItem(b -> b.tableName(f.tables.accounts()).key(Map.of("accountId", AttributeValue.fromS(key.accountId())))
                .updateExpression("REMOVE held"));
        dynamo.client().updateItem(b -> b.tableName(f.tables.holds()).key(Map.of("holdId", AttributeValue.fromS(old.holdId())))
                .updateExpression("REMOVE " + HoldItems.IN_HELD_TOTAL));
        Hold asRead = f.balances.expiredHolds(T0.plusSeconds(3600), 1000).stream()
                .filter(h -> h.holdId().equals(old.holdId())).findFirst().orElseThrow();
        assertThat(asRead.inHeldTotal()).isFalse();

        f.balances.settle(asRead, charge(asRead, 10_000));

        assertThat(totals(key).held()).isEqualTo(Money.ZERO);
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void aFilteredPageStopsAtItsReadBudgetAndTheCursorGoesOnFromThere() throws Exception {
        ApiKey key = f.account(100_000_000);
        List<String> rare = new ArrayList<>();
        for (int i = 0; i < DynamoRequestLog.READ_BUDGET + 200; i++) {
            boolean isRare = i % 400 == 7;
            String id = record(key, isRare ? "gemma3:1b" : "qwen3:latest", T0.plusMillis(i));
            if (isRare) {
                rare.add(0, id);
            }
        }
        RequestFilter filter = new RequestFilter(key.accountId(), null, "gemma3:1b", null, null, null);

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        LedgerCursor after = null;
        do {
            RequestPage page = log.list(filter, 50, after);
            sizes.add(page.data().size());
            page.data().forEach(r -> seen.add(r.requestId()));
            after = page.next();
        } while (after != null);

        assertThat(seen).containsExactlyElementsOf(rare);
        assertThat(sizes.size()).as("the first page ran out of budget and came back short").isGreaterThan(1);
        assertThat(sizes.getFirst()).isLessThan(rare.size());
        RequestPage all = log.list(RequestFilter.account(key.accountId()), 200, null);
        assertThat(all.data()).hasSize(200);
        assertThat(all.hasMore()).isTrue();
    }

    @Test
    void timesSortAsTimesWholeSecondsIncludedAndOlderShortFormEntriesStillPage() throws Exception {
        ApiKey key = f.account(1_000_000);
        Instant whole = Instant.parse("2026-03-01T12:00:00Z");
        // Instant.toString writes "12:00:00Z", which sorts after "12:00:00.5Z": the fixed-width form does not.
        String older = f.shortFormEntry(key, "2026-03-01T11:59:59.500Z");
        String atWholeSecond = record(key, "qwen3:latest", whole);
        String later = record(key, "qwen3:latest", whole.plusMillis(500));

        List<String> pages = new ArrayList<>();
        LedgerCursor after = null;
        do {
            RequestPage page = log.list(RequestFilter.account(key.accountId()), 1, after);
            page.data().forEach(r -> pages.add(r.requestId()));
            after = page.next();
        } while (after != null);

        assertThat(pages).containsExactly(later, atWholeSecond, older);
        assertThat(log.list(new RequestFilter(key.accountId(), null, null, null, whole, whole.plusMillis(500)), 10, null)
                .data()).extracting(RequestRecord::requestId).containsExactly(atWholeSecond);
        assertThat(log.list(new RequestFilter(key.accountId(), key.keyId(), null, null, null, whole), 10, null).data())
                .extracting(RequestRecord::requestId).containsExactly(older);
        assertThat(log.find(key.accountId(), older).orElseThrow().at()).isEqualTo(whole.minusMillis(500));
    }

    @Test
    void theHistoryListsMovementsInTheirPeriodAndSumsTheRest() throws Exception {
        ApiKey key = f.account(1_000_000);
        Hold first = f.hold(key, 10_000);
        f.balances.reserve(first);
        f.balances.settle(first, charge(first, 4_000)); // at T0 + 3 s
        String free = record(key, "qwen3:latest", T0.plusSeconds(4));

        LedgerHistory.Period period = history.read(key.accountId(), T0.minusSeconds(120), T0.plusSeconds(2), 10);
        LedgerHistory.Period all = history.read(key.accountId(), T0.minusSeconds(120), null, 10);

        assertThat(period.rows()).extracting(Movement::kind).containsExactly(MovementKind.ADMIN_CREDIT);
        assertThat(period.laterAmount()).isEqualTo(Money.ofMicros(-4_000));
        assertThat(all.rows()).extracting(Movement::kind).as("the free request moved nothing")
                .containsExactly(MovementKind.ADMIN_CREDIT, MovementKind.REQUEST);
        assertThat(all.rows()).extracting(Movement::entryId).doesNotContain(free);
        assertThat(history.read(key.accountId(), T0.minusSeconds(120), null, 1).truncated()).isTrue();
    }

    private static LedgerTotals totals(ApiKey key) {
        return history.totals(key.accountId()).orElseThrow();
    }

    /** A free request's entry at {@code at}, as the batched writer puts it. */
    private static String record(ApiKey key, String model, Instant at) {
        String id = Ids.newId("req");
        f.balances.write(List.of(new Charge(id, key.accountId(), key.keyId(), model, TokenUsage.NONE, Money.ZERO, "ok", 1, at,
                "k", false)));
        return id;
    }

    private static Hold named(Hold hold, String keyName, boolean streamed) {
        return new Hold(hold.holdId(), hold.accountId(), hold.keyId(), hold.keyHash(), hold.keyBudgeted(), hold.amount(),
                hold.model(), hold.createdAt(), hold.expiresAt(), keyName, streamed, true);
    }
}
