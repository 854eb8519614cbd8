package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.Charge;
import dev.tollgate.billing.Hold;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.ledger.LedgerCursor;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerHistory;
import dev.tollgate.ledger.Movement;
import dev.tollgate.ledger.RequestFilter;
import dev.tollgate.ledger.RequestPage;
import dev.tollgate.ledger.RequestRecord;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.ExpectedLog;
import dev.tollgate.testkit.LocalDynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Free requests' entries packed many to an item (docs/adr/0008, amendment) on DynamoDB Local: a flush writes a few
 * items instead of one per request, and the request log reads them exactly as single entries, in one time order with
 * the paid requests between them, through every page size, filter and cursor; a request is found by its id alone; a
 * pack written twice shows each request once; a damaged pack is skipped, not an error; the statement ignores packs.
 */
class FreeEntryPacksIT {

    private static LocalDynamo dynamo;
    private static BalanceFixture f;
    private static DynamoRequestLog log;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        f = new BalanceFixture(dynamo.client());
        log = new DynamoRequestLog(dynamo.client(), f.tables);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void aFlushOfManyFreeRequestsIsAFewItemsReadBackAsEachRequest() {
        ApiKey key = f.account(1_000_000);
        List<Charge> charges = new ArrayList<>();
        for (int i = 0; i < 600; i++) {  // 3 seconds of 200 requests, each started 300 ms before it ended
            Instant at = T0.plusMillis(5 * i);
            charges.add(free(key, Ids.requestId(at.minusMillis(300)), i % 3 == 0 ? "gemma3:1b" : "qwen3:latest", at));
        }
        f.balances.write(charges);

        assertThat(items(key)).as("packs by start and end second, not 600 items").hasSizeBetween(4, 8);
        for (Charge c : List.of(charges.getFirst(), charges.get(299), charges.getLast())) {
            RequestRecord r = log.find(key.accountId(), c.requestId()).orElseThrow();
            assertThat(r).isEqualTo(new RequestRecord(c.requestId(), key.accountId(), c.at(), key.keyId(), "k", c.model(),
                    null, false, c.usage(), Money.ZERO, Money.ZERO, null, Money.ZERO, 7, "ok", false, false));
        }
        assertThat(log.find("acct_other", charges.getFirst().requestId())).as("another account's").isEmpty();
        assertThat(log.find(key.accountId(), Ids.requestId(T0))).as("an id of that second that was not written").isEmpty();
        assertThat(pages(RequestFilter.account(key.accountId()), 200)).containsExactlyElementsOf(newestFirst(charges));
    }

    @Test
    void packedAndSingleEntriesListInOneTimeOrderThroughEveryPageSizeFilterAndPeriod() throws Exception {
        ApiKey key = f.account(100_000_000);
        ApiKey other = f.budgetKey(key.accountId(), 50_000_000);
        Random random = new Random(7);
        List<Charge> all = new ArrayList<>();
        List<Charge> free = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Instant at = T0.plusMillis(random.nextInt(4_000));  // in no order, so packs overlap in time
            ApiKey by = random.nextInt(4) == 0 ? other : key;
            String status = random.nextInt(5) == 0 ? "client_disconnect" : "ok";
            Charge c = new Charge(Ids.requestId(at.minusMillis(random.nextInt(2_000))), key.accountId(), by.keyId(),
                    random.nextBoolean() ? "gemma3:1b" : "qwen3:latest", new TokenUsage(3, 4, 0, 0, false), Money.ZERO,
                    status, 7, at, "k", false);
            free.add(c);
            all.add(c);
        }
        for (int from = 0; from < free.size(); from += 100) {
            f.balances.write(free.subList(from, from + 100));  // four flushes, as the batched writer makes them
        }
        for (int i = 0; i < 30; i++) {  // paid requests settled between them, one item each
            Hold hold = f.hold(key, 10_000);
            f.balances.reserve(hold);
            Charge paid = new Charge(hold.holdId(), key.accountId(), key.keyId(), "qwen3:latest",
                    new TokenUsage(10, 2, 0, 0, false), Money.ofMicros(1_000), "ok", 9, T0.plusMillis(random.nextInt(4_000)));
            f.balances.settle(hold, paid);
            all.add(paid);
        }

        for (int limit : List.of(1, 7, 50, 200)) {
            assertThat(pages(RequestFilter.account(key.accountId()), limit)).as("pages of %d", limit)
                    .containsExactlyElementsOf(newestFirst(all));
        }
        Instant start = T0.plusMillis(1_250);
        Instant end = T0.plusMillis(2_900);
        List<RequestFilter> filters = List.of(
                new RequestFilter(key.accountId(), null, "gemma3:1b", null, null, null),
                new RequestFilter(key.accountId(), null, null, "client_disconnect", null, null),
                new RequestFilter(key.accountId(), other.keyId(), null, null, null, null),
                new RequestFilter(key.accountId(), null, null, null, start, end),
                new RequestFilter(key.accountId(), null, null, null, start, null),
                new RequestFilter(key.accountId(), null, null, null, null, end),
                new RequestFilter(key.accountId(), key.keyId(), "qwen3:latest", "ok", start, end));
        for (RequestFilter filter : filters) {
            Predicate<Charge> matches = c -> (filter.model() == null || filter.model().equals(c.model()))
                    && (filter.status() == null || filter.status().equals(c.status()))
                    && (filter.keyId() == null || filter.keyId().equals(c.keyId()))
                    && (filter.start() == null || !c.at().isBefore(filter.start()))
                    && (filter.end() == null || c.at().isBefore(filter.end()));
            List<String> expected = newestFirst(all.stream().filter(matches).toList());
            assertThat(expected).as("the filter keeps some and drops some").isNotEmpty().hasSizeLessThan(all.size());
            for (int limit : List.of(3, 50)) {
                assertThat(pages(filter, limit)).as("%s in pages of %d", filter, limit).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void aPackWrittenTwiceShowsEachRequestOnceAndTheStatementAndLedgerSeeNoMoney() {
        ApiKey key = f.account(1_000_000);
        List<Charge> charges = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Instant at = T0.plusMillis(20 * i);
            charges.add(free(key, Ids.requestId(at), "qwen3:latest", at));
        }
        f.balances.write(charges);
        f.balances.write(charges);  // a flush retried after a write that had succeeded

        for (int limit : List.of(1, 3, 40, 100)) {
            assertThat(pages(RequestFilter.account(key.accountId()), limit)).containsExactlyElementsOf(newestFirst(charges));
        }
        assertThat(log.find(key.accountId(), charges.get(17).requestId())).isPresent();

        LedgerHistory.Period period = new DynamoLedgerHistory(dynamo.client(), f.tables)
                .read(key.accountId(), T0.minusSeconds(120), null, 100);
        assertThat(period.rows()).extracting(Movement::entryId).containsExactly("opening-" + key.accountId());
        List<LedgerEntry> ledger = f.ledger(key.accountId());
        assertThat(ledger).hasSize(41).isSortedAccordingTo(Comparator.comparing(LedgerEntry::at));
        assertThat(ledger.stream().filter(e -> e.request() != null).map(LedgerEntry::entryId))
                .containsExactlyInAnyOrderElementsOf(charges.stream().map(Charge::requestId).toList());
        f.assertBalanceEqualsLedger(key.accountId());
    }

    @Test
    void aDamagedPackIsSkippedWithAWarningAndTheRestIsListed() {
        ApiKey key = f.account(1_000_000);
        Charge lost = free(key, Ids.requestId(T0), "qwen3:latest", T0.plusMillis(100));
        Charge kept = free(key, Ids.requestId(T0.plusSeconds(5)), "qwen3:latest", T0.plusSeconds(5));
        f.balances.write(List.of(lost));
        f.balances.write(List.of(kept));
        Map<String, AttributeValue> pack = items(key).stream()
                .filter(i -> Attr.str(i, "entryId").startsWith(FreeEntryPacks.prefix(T0.getEpochSecond())))
                .findFirst().orElseThrow();
        dynamo.client().updateItem(b -> b.tableName(f.tables.ledger())
                .key(Map.of("accountId", pack.get("accountId"), "entryId", pack.get("entryId")))
                .updateExpression("SET packed = :junk")
                .expressionAttributeValues(Map.of(":junk", AttributeValue.fromB(SdkBytes.fromUtf8String("not deflated")))));

        try (ExpectedLog warned = ExpectedLog.of(RequestMerge.class)) {
            assertThat(pages(RequestFilter.account(key.accountId()), 10)).containsExactly(kept.requestId());
            assertThat(log.find(key.accountId(), lost.requestId())).isEmpty();
            assertThat(warned.warnings()).isNotEmpty().allSatisfy(w -> assertThat(w).contains("is skipped"));
        }
    }

    @Test
    void anIdThatRecordsNoSecondIsWrittenAsASingleEntry() {
        ApiKey key = f.account(1_000_000);
        Charge odd = free(key, "req-from-elsewhere", "qwen3:latest", T0);
        f.balances.write(List.of(odd));

        assertThat(items(key)).extracting(i -> Attr.str(i, "entryId")).containsExactly(odd.requestId());
        assertThat(log.find(key.accountId(), odd.requestId())).isPresent();
    }

    @Test
    void aCursorAtAnInstantBetweenPacksResumesWithoutLosingOrRepeatingRows() {
        ApiKey key = f.account(1_000_000);
        List<Charge> charges = new ArrayList<>();
        Instant at = T0;
        for (int i = 0; i < 60; i++) {  // requests ending 40 ms apart, each pack a second of them
            at = at.plus(Duration.ofMillis(40));
            charges.add(free(key, Ids.requestId(at.minusMillis(1_500)), i % 2 == 0 ? "gemma3:1b" : "qwen3:latest", at));
        }
        f.balances.write(charges);
        List<String> expected = newestFirst(charges);
        RequestPage first = log.list(RequestFilter.account(key.accountId()), 25, null);
        // A cursor made by hand at a time between two rows: what follows it is listed from there.
        Charge pivot = charges.get(30);
        LedgerCursor between = new LedgerCursor(LedgerItems.sortableTime(pivot.at().plusMillis(1)), "~");
        RequestPage after = log.list(RequestFilter.account(key.accountId()), 100, between);

        assertThat(first.data()).extracting(RequestRecord::requestId).containsExactlyElementsOf(expected.subList(0, 25));
        assertThat(after.data()).extracting(RequestRecord::requestId)
                .containsExactlyElementsOf(expected.subList(expected.indexOf(pivot.requestId()), expected.size()));
        assertThat(after.hasMore()).isFalse();
    }

    @Test
    void entriesStoredInTheOlderShortTimeFormPageInIndexOrderBesidePacks() {
        ApiKey key = f.account(1_000_000);
        // Older versions stored "12:00:00Z" and "12:00:00.250Z": as strings (the index's order) the whole second
        // sorts first, then the fraction, then nine-digit times of the same second.
        String whole = f.shortFormEntry(key, "2026-03-01T12:00:00Z");
        String quarter = f.shortFormEntry(key, "2026-03-01T12:00:00.250Z");
        Charge packed = free(key, Ids.requestId(T0), "qwen3:latest", Instant.parse("2026-03-01T12:00:00.100Z"));
        Charge before = free(key, Ids.requestId(T0), "qwen3:latest", Instant.parse("2026-03-01T11:59:59.900Z"));
        f.balances.write(List.of(packed, before));

        List<String> expected = List.of(whole, quarter, packed.requestId(), before.requestId());
        for (int limit : List.of(1, 2, 10)) {
            assertThat(pages(RequestFilter.account(key.accountId()), limit)).as("pages of %d", limit)
                    .containsExactlyElementsOf(expected);
        }
        // a cursor as a page before this change made it, at the whole-second row
        RequestPage rest = log.list(RequestFilter.account(key.accountId()), 10, new LedgerCursor("2026-03-01T12:00:00Z", whole));
        assertThat(rest.data()).extracting(RequestRecord::requestId).containsExactlyElementsOf(expected.subList(1, 4));
        // a period that ends at the whole second keeps the older rows of the second before it
        assertThat(pages(new RequestFilter(key.accountId(), null, null, null, null, Instant.parse("2026-03-01T12:00:00Z")), 1))
                .containsExactly(before.requestId());
    }

    @Test
    void aPageThatFindsNothingWithinItsBudgetComesBackEmptyWithACursorAndTheNextGoesOn() {
        ApiKey key = f.account(1_000_000);
        List<String> rare = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Charge c = free(key, Ids.newId("req"), "gemma3:1b", T0.plusMillis(i));
            f.balances.write(List.of(c));
            rare.add(0, c.requestId());
        }
        for (int i = 0; i < DynamoRequestLog.READ_BUDGET + 100; i++) {  // newer, and none matches the filter
            f.balances.write(List.of(free(key, Ids.newId("req"), "qwen3:latest", T0.plusSeconds(10).plusMillis(i))));
        }
        RequestFilter filter = new RequestFilter(key.accountId(), null, "gemma3:1b", null, null, null);

        RequestPage first = log.list(filter, 10, null);

        assertThat(first.data()).isEmpty();
        assertThat(first.hasMore()).isTrue();
        assertThat(pages(filter, 10)).containsExactlyElementsOf(rare);
    }

    @Test
    void cursorsOutsideThePeriodOrAtTheEndOfTimeAreAnswersNotErrors() {
        ApiKey key = f.account(1_000_000);
        Charge c = free(key, Ids.requestId(T0), "qwen3:latest", T0.plusSeconds(1));
        f.balances.write(List.of(c));

        LedgerCursor lastSecond = new LedgerCursor("9999-12-31T23:59:59.999999999Z", "req_x");  // a second more overflows
        assertThat(log.list(RequestFilter.account(key.accountId()), 10, lastSecond).data())
                .extracting(RequestRecord::requestId).containsExactly(c.requestId());
        // beyond year 9999 a time is written with a sign, which sorts before every stored time: nothing is after it
        LedgerCursor signed = new LedgerCursor("+1000000000-12-31T23:59:59.999999999Z", "req_x");
        assertThat(log.list(RequestFilter.account(key.accountId()), 10, signed).data()).isEmpty();
        LedgerCursor beforeStart = new LedgerCursor(LedgerItems.sortableTime(T0.minusSeconds(60)), "req_x");
        RequestPage none = log.list(new RequestFilter(key.accountId(), null, null, null, T0, null), 10, beforeStart);
        assertThat(none.data()).isEmpty();
        assertThat(none.hasMore()).isFalse();
    }

    private static Charge free(ApiKey key, String id, String model, Instant at) {
        return new Charge(id, key.accountId(), key.keyId(), model, new TokenUsage(3, 4, 0, 0, false), Money.ZERO, "ok", 7, at,
                "k", false);
    }

    private static List<Map<String, AttributeValue>> items(ApiKey key) {
        return dynamo.client().queryPaginator(b -> b.tableName(f.tables.ledger()).keyConditionExpression("accountId = :a")
                        .expressionAttributeValues(Map.of(":a", AttributeValue.fromS(key.accountId()))).consistentRead(true))
                .items().stream().filter(i -> !Attr.str(i, "entryId").startsWith("opening-")).toList();
    }

    /** Every page of {@code filter}'s listing, joined. */
    private static List<String> pages(RequestFilter filter, int limit) {
        List<String> ids = new ArrayList<>();
        LedgerCursor after = null;
        int pages = 0;
        do {
            RequestPage page = log.list(filter, limit, after);
            assertThat(page.data()).hasSizeLessThanOrEqualTo(limit);
            page.data().forEach(r -> ids.add(r.requestId()));
            after = page.next();
            assertThat(++pages).as("pages end").isLessThan(2_000);
        } while (after != null);
        return ids;
    }

    /** The log's order: stored time, then id, newest first. */
    private static List<String> newestFirst(List<Charge> charges) {
        return charges.stream().sorted(Comparator.comparing((Charge c) -> LedgerItems.sortableTime(c.at()))
                        .thenComparing(Charge::requestId).reversed())
                .map(Charge::requestId).distinct().toList();
    }
}
