package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.race;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.billing.StreamSlots.Slot;
import dev.tollgate.billing.TooManyStreamsException;
import dev.tollgate.keys.Ids;
import dev.tollgate.testkit.LocalDynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The per-account cap on open streams under concurrency, on DynamoDB Local: racing acquires get exactly the cap,
 * releases free slots exactly once, and leases of streams that were never released are reclaimed once they end.
 * After every test the item's counter equals its number of leases.
 */
class DynamoStreamSlotsIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant LEASE = T0.plus(Duration.ofMinutes(15));

    private static LocalDynamo dynamo;
    private static DynamoTables tables;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        tables = DynamoTables.withPrefix("slots-");
        tables.createMissing(dynamo.client());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    private static DynamoStreamSlots slots(int cap) {
        return new DynamoStreamSlots(dynamo.client(), tables, cap);
    }

    @Test
    void fiftyThreadsRacingForTenSlotsOfOneAccountGetExactlyTen() throws Exception {
        DynamoStreamSlots slots = slots(10);
        String account = Ids.newId("acct");

        List<Object> results = race(50, i -> () -> slots.acquire(account, "req_" + i, T0, LEASE));

        List<Slot> won = only(results, Slot.class);
        List<TooManyStreamsException> refused = only(results, TooManyStreamsException.class);
        assertThat(won.size() + refused.size()).as("no other outcome: %s", results).isEqualTo(50);
        assertThat(won).hasSize(10);
        assertThat(refused).hasSize(40).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.code().code()).isEqualTo("rate_limit_exceeded");
            assertThat(e.cap()).isEqualTo(10);
            assertThat(e.headers()).containsEntry("Retry-After", "5");
            assertThat(e.getMessage()).contains("10 streams open");
        });
        assertThat(leases(account)).isEqualTo(won.stream().map(Slot::requestId).collect(Collectors.toCollection(TreeSet::new)));
        assertThat(openStreams(account)).isEqualTo(10);
    }

    @Test
    void aReleaseFreesOneSlotForTheNextStream() {
        DynamoStreamSlots slots = slots(3);
        String account = Ids.newId("acct");
        for (int i = 0; i < 3; i++) {
            slots.acquire(account, "req_" + i, T0, LEASE);
        }
        assertThatThrownBy(() -> slots.acquire(account, "req_3", T0, LEASE)).isInstanceOf(TooManyStreamsException.class);

        slots.release(account, "req_1");

        assertThat(slots.acquire(account, "req_3", T0, LEASE).requestId()).isEqualTo("req_3");
        assertThatThrownBy(() -> slots.acquire(account, "req_4", T0, LEASE)).isInstanceOf(TooManyStreamsException.class);
        assertThat(leases(account)).containsExactlyInAnyOrder("req_0", "req_2", "req_3");
        assertThat(openStreams(account)).isEqualTo(3);
    }

    @Test
    void releasesRacingAcquiresNeverLetTheCountPassTheCapOrDrift() throws Exception {
        DynamoStreamSlots slots = slots(10);
        String account = Ids.newId("acct");
        for (int i = 0; i < 10; i++) {
            slots.acquire(account, "old_" + i, T0, LEASE);
        }

        // 10 releases and 30 new acquires at once: however they interleave, at most 10 of the new ones get in.
        List<Object> results = race(40, i -> () -> i < 10 ? release(slots, account, "old_" + i)
                : slots.acquire(account, "new_" + i, T0, LEASE));

        List<Slot> won = only(results, Slot.class);
        assertThat(won.size() + only(results, TooManyStreamsException.class).size() + 10)
                .as("no other outcome: %s", results).isEqualTo(40);
        assertThat(won.size()).isBetween(1, 10);
        assertThat(leases(account)).isEqualTo(won.stream().map(Slot::requestId).collect(Collectors.toCollection(TreeSet::new)));
        assertThat(openStreams(account)).isEqualTo(won.size());
    }

    @Test
    void anExtensionMovesOnlyAHeldLeaseAndNeverTheCount() {
        DynamoStreamSlots slots = slots(2);
        String account = Ids.newId("acct");
        slots.acquire(account, "req_1", T0, LEASE);
        Instant later = LEASE.plusSeconds(30);

        assertThat(slots.extend(account, "req_1", later)).isTrue();
        assertThat(slots.extend(account, "req_unknown", later)).as("a request holding no slot").isFalse();
        assertThatThrownBy(() -> slots.extend(account, "", later)).isInstanceOf(IllegalArgumentException.class);
        slots.release(account, "req_1");
        assertThat(slots.extend(account, "req_1", later)).as("a released slot").isFalse();
        slots.acquire(account, "req_2", T0, LEASE);
        assertThat(slots.extend(account, "req_2", later)).isTrue();

        assertThat(leases(account)).containsExactly("req_2");
        assertThat(item(account).get("leases").m().get("req_2").n()).isEqualTo(Long.toString(later.toEpochMilli()));
        assertThat(openStreams(account)).isEqualTo(1);
        assertThat(Attr.num(item(account), "ttl")).as("the item outlives the extended lease")
                .isEqualTo(later.plus(DynamoStreamSlots.RETENTION).getEpochSecond());
    }

    @Test
    void aSecondReleaseAndReleasesOfUnknownRequestsChangeNothing() throws Exception {
        DynamoStreamSlots slots = slots(5);
        String account = Ids.newId("acct");
        slots.acquire(account, "req_a", T0, LEASE);
        slots.acquire(account, "req_b", T0, LEASE);

        List<Object> releases = race(10, i -> () -> release(slots, account, "req_a"));
        slots.release(account, "req_a");
        slots.release(account, "req_never");

        assertThat(releases).allSatisfy(r -> assertThat(r).isEqualTo("released"));
        assertThat(leases(account)).containsExactly("req_b");
        assertThat(openStreams(account)).isEqualTo(1);

        String stranger = Ids.newId("acct");
        slots.release(stranger, "req_x");
        assertThat(item(stranger)).as("a release creates nothing").isEmpty();
    }

    @Test
    void acquiringAgainForTheSameRequestTakesNoSecondSlot() {
        DynamoStreamSlots slots = slots(2);
        String account = Ids.newId("acct");
        slots.acquire(account, "req_a", T0, LEASE);

        Slot again = slots.acquire(account, "req_a", T0, LEASE.plusSeconds(60));
        slots.acquire(account, "req_b", T0, LEASE);
        Slot atTheCap = slots.acquire(account, "req_a", T0, LEASE);

        assertThat(again.leaseUntil()).as("the lease it holds").isEqualTo(LEASE);
        assertThat(atTheCap.requestId()).isEqualTo("req_a");
        assertThat(openStreams(account)).isEqualTo(2);
    }

    @Test
    void leasesThatEndedWithoutARelease_areReclaimedByTheNextAcquireTheCapRefuses() {
        DynamoStreamSlots slots = slots(3);
        String account = Ids.newId("acct");
        Instant early = T0.plus(Duration.ofMinutes(1));
        slots.acquire(account, "crashed_1", T0, early);
        slots.acquire(account, "crashed_2", T0, early);
        slots.acquire(account, "alive", T0, LEASE);

        // Before the leases end, the cap holds; Retry-After is the time left to the earliest end, at most 5 s.
        assertThatThrownBy(() -> slots.acquire(account, "req_1", early.minusSeconds(2), LEASE))
                .isInstanceOfSatisfying(TooManyStreamsException.class,
                        e -> assertThat(e.headers()).containsEntry("Retry-After", "2"));
        assertThat(openStreams(account)).isEqualTo(3);

        Instant later = early.plusSeconds(1);
        slots.acquire(account, "req_1", later, LEASE);
        slots.acquire(account, "req_2", later, LEASE);

        assertThat(leases(account)).containsExactlyInAnyOrder("alive", "req_1", "req_2");
        assertThat(openStreams(account)).isEqualTo(3);
        assertThatThrownBy(() -> slots.acquire(account, "req_3", later, LEASE)).isInstanceOf(TooManyStreamsException.class);
        // A release after its lease was reclaimed frees nothing of anyone else's.
        slots.release(account, "crashed_1");
        assertThat(openStreams(account)).isEqualTo(3);
    }

    @Test
    void racingAcquiresReclaimEachExpiredLeaseOnce() throws Exception {
        DynamoStreamSlots slots = slots(5);
        String account = Ids.newId("acct");
        Instant early = T0.plus(Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            slots.acquire(account, "crashed_" + i, T0, early);
        }

        List<Object> results = race(20, i -> () -> slots.acquire(account, "req_" + i, early.plusSeconds(10), LEASE));

        List<Slot> won = only(results, Slot.class);
        assertThat(won.size() + only(results, TooManyStreamsException.class).size()).isEqualTo(20);
        // Each caller retries once after reclaiming, so how many of the freed slots the race fills depends on timing;
        // none is lost, none counted twice, and the rest are there for the next callers.
        assertThat(won.size()).isBetween(1, 5);
        assertThat(leases(account)).isEqualTo(won.stream().map(Slot::requestId).collect(Collectors.toCollection(TreeSet::new)));
        assertThat(openStreams(account)).isEqualTo(won.size());
        for (int i = won.size(); i < 5; i++) {
            slots.acquire(account, "next_" + i, early.plusSeconds(20), LEASE);
        }
        assertThatThrownBy(() -> slots.acquire(account, "one_too_many", early.plusSeconds(20), LEASE))
                .isInstanceOf(TooManyStreamsException.class);
        assertThat(openStreams(account)).isEqualTo(5);
    }

    @Test
    void accountsDoNotShareSlots() {
        DynamoStreamSlots slots = slots(1);
        String first = Ids.newId("acct");
        String second = Ids.newId("acct");
        slots.acquire(first, "req_1", T0, LEASE);

        assertThat(slots.acquire(second, "req_2", T0, LEASE).accountId()).isEqualTo(second);
        assertThatThrownBy(() -> slots.acquire(first, "req_3", T0, LEASE)).isInstanceOf(TooManyStreamsException.class);
    }

    @Test
    void theItemLivesInTheHoldsTableOutsideTheReconcilersIndexAndExpiresAfterItsLastLease() {
        String account = Ids.newId("acct");
        slots(2).acquire(account, "req_1", T0, LEASE);

        Map<String, AttributeValue> item = item(account);
        assertThat(item).doesNotContainKeys("openShard", "expiresAt", "state");
        assertThat(Attr.num(item, "ttl")).isEqualTo(LEASE.plus(Duration.ofDays(1)).getEpochSecond());
        assertThat(new DynamoBalanceStore(dynamo.client(), tables).expiredHolds(LEASE.plus(Duration.ofDays(30)), 100))
                .as("the reconciler never sees it").isEmpty();
    }

    @Test
    void theCapIsOneToAThousand() {
        assertThatThrownBy(() -> slots(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNLIMITED");
        assertThatThrownBy(() -> slots(DynamoStreamSlots.MAX_CAP + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(IntStream.of(1, DynamoStreamSlots.MAX_CAP).mapToObj(c -> slots(c).cap())).containsExactly(1, 1000);
    }

    private static String release(DynamoStreamSlots slots, String account, String requestId) {
        slots.release(account, requestId);
        return "released";
    }

    private static <T> List<T> only(List<Object> results, Class<T> type) {
        return results.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static Map<String, AttributeValue> item(String account) {
        return dynamo.client().getItem(b -> b.tableName(tables.holds()).consistentRead(true)
                .key(Map.of("holdId", AttributeValue.fromS(DynamoStreamSlots.ITEM_PREFIX + account)))).item();
    }

    private static Set<String> leases(String account) {
        return new TreeSet<>(item(account).get("leases").m().keySet());
    }

    private static long openStreams(String account) {
        Map<String, AttributeValue> item = item(account);
        long counted = Attr.num(item, "openStreams");
        assertThat(counted).as("the counter is the number of leases").isEqualTo(item.get("leases").m().size());
        return counted;
    }
}
