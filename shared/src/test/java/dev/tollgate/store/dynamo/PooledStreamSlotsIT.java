package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.billing.PooledStreamSlots;
import dev.tollgate.billing.StreamSlots;
import dev.tollgate.billing.StreamSlots.Slot;
import dev.tollgate.billing.TooManyStreamsException;
import dev.tollgate.keys.Ids;
import dev.tollgate.testkit.LocalDynamo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Slots kept for an account's next stream on the same instance, on DynamoDB Local: a stream after another costs no
 * write, the cap holds exactly across two instances racing with many threads, kept slots are given back when they
 * are too short for a new stream, when the cap refuses a stream of this instance, and at shutdown.
 */
class PooledStreamSlotsIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    /** A new stream's lease on this server: its longest duration plus the settle margin. */
    private static final Duration NEW_LEASE = Duration.ofMinutes(15);
    private static final Duration LINGER = Duration.ofSeconds(2);

    private static LocalDynamo dynamo;
    private static DynamoTables tables;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        tables = DynamoTables.withPrefix("pooled-");
        tables.createMissing(dynamo.client());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    /** The store, counting the writes it is asked for. */
    private static final class Counting implements StreamSlots {
        final DynamoStreamSlots store;
        final AtomicInteger acquires = new AtomicInteger();
        final AtomicInteger releases = new AtomicInteger();
        final AtomicInteger extensions = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean failExtends = new java.util.concurrent.atomic.AtomicBoolean();

        Counting(int cap) {
            store = new DynamoStreamSlots(dynamo.client(), tables, cap);
        }

        @Override
        public Slot acquire(String accountId, String requestId, Instant now, Instant leaseUntil) {
            acquires.incrementAndGet();
            return store.acquire(accountId, requestId, now, leaseUntil);
        }

        @Override
        public void release(String accountId, String requestId) {
            releases.incrementAndGet();
            store.release(accountId, requestId);
        }

        @Override
        public boolean extend(String accountId, String requestId, Instant leaseUntil) {
            extensions.incrementAndGet();
            if (failExtends.getAndSet(false)) {
                throw new IllegalStateException("throttled (a test's failure)");
            }
            return store.extend(accountId, requestId, leaseUntil);
        }
    }

    private static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(T0);

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void streamsOneAfterAnotherWithinTheLingerCostTwoWritesInAll() {
        Counting store = new Counting(3);
        MovableClock clock = new MovableClock();
        PooledStreamSlots pool = new PooledStreamSlots(store, LINGER, LINGER, clock);
        String account = Ids.newId("acct");

        for (int i = 0; i < 50; i++) {
            Instant now = T0.plusMillis(i * 20L);
            clock.now.set(now);
            streamAt(pool, account, "req_" + i, now);
        }

        assertThat(store.acquires).hasValue(1);
        assertThat(store.extensions).as("every stream fit the first lease").hasValue(0);
        assertThat(openStreams(account)).as("the kept slot still counts").isEqualTo(1);
        clock.now.set(T0.plusMillis(49 * 20L).plus(LINGER));
        pool.sweep();
        assertThat(store.releases).hasValue(1);
        assertThat(openStreams(account)).isZero();
        assertThat(pool.kept(account)).isZero();
    }

    @Test
    void aLongerReachExtendsASlotInConstantUseOnceAMinuteInsteadOfEveryLinger() {
        Counting near = new Counting(3);
        Counting far = new Counting(3);
        MovableClock clock = new MovableClock();
        PooledStreamSlots byLinger = new PooledStreamSlots(near, LINGER, LINGER, clock);
        PooledStreamSlots byMinute = new PooledStreamSlots(far, LINGER, Duration.ofMinutes(1), clock);
        String account = Ids.newId("acct");
        String other = Ids.newId("acct");

        for (int i = 0; i < 180; i++) { // a stream a second for three minutes, each on the slot the last one freed
            Instant now = T0.plusSeconds(i);
            clock.now.set(now);
            streamAt(byLinger, account, "req_" + i, now);
            streamAt(byMinute, other, "req_" + i, now);
        }

        assertThat(near.acquires).hasValue(1);
        assertThat(far.acquires).hasValue(1);
        assertThat(near.extensions).as("a reach of the linger: a write every third stream").hasValue(59);
        assertThat(far.extensions).as("a minute's reach: one write a minute").hasValue(2);
        assertThat(openStreams(account)).isEqualTo(1);
        assertThat(openStreams(other)).isEqualTo(1);
        assertThatThrownBy(() -> new PooledStreamSlots(far, LINGER, LINGER.minusMillis(1), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be at least its linger");
    }

    @Test
    void aKeptSlotTooShortForANewStreamIsExtendedInOneWriteAndTheSweepGivesBackTheRest() {
        Counting store = new Counting(3);
        MovableClock clock = new MovableClock();
        String account = Ids.newId("acct");
        PooledStreamSlots pool = poolKeepingOneSlot(store, account, clock);

        Instant later = T0.plus(LINGER).plusSeconds(1);
        Slot slot = pool.acquire(account, "req_2", later, later.plus(NEW_LEASE));

        assertThat(slot.leaseUntil()).as("the lease covers the new stream").isAfterOrEqualTo(later.plus(NEW_LEASE));
        assertThat(store.extensions).as("the kept one ended too early: it was extended").hasValue(1);
        assertThat(store.acquires).as("no second lease").hasValue(1);
        assertThat(store.releases).hasValue(0);
        assertThat(openStreams(account)).isEqualTo(1);
        assertThat(leaseEnds(account)).as("the stored lease ends where the slot says")
                .containsExactly(slot.leaseUntil().toEpochMilli());
        pool.release(account, "req_2");
        clock.now.set(later.plus(LINGER).plusSeconds(1));
        pool.sweep();
        assertThat(openStreams(account)).as("a slot kept for the linger is given back").isZero();
        pool.acquire(account, "req_3", clock.instant(), clock.instant().plus(NEW_LEASE));
        pool.release(account, "req_3");
        pool.close();
        assertThat(openStreams(account)).as("shutdown gives back every kept slot").isZero();
    }

    @Test
    void aSlotFreedByALongStreamIsKeptForTheLingerAndExtendedForTheNextStream() {
        Counting store = new Counting(3);
        MovableClock clock = new MovableClock();
        PooledStreamSlots pool = new PooledStreamSlots(store, LINGER, LINGER, clock);
        String account = Ids.newId("acct");
        pool.acquire(account, "req_1", T0, T0.plus(NEW_LEASE));
        Instant ended = T0.plusSeconds(10);   // a stream longer than the linger: its lease is too short for a new one
        clock.now.set(ended);
        pool.release(account, "req_1");
        clock.now.set(ended.plus(LINGER).minusMillis(1));
        pool.sweep();
        assertThat(pool.kept(account)).as("kept for the linger after its release").isEqualTo(1);

        Instant next = clock.instant();
        Slot slot = pool.acquire(account, "req_2", next, next.plus(NEW_LEASE));

        assertThat(slot.leaseUntil()).isAfterOrEqualTo(next.plus(NEW_LEASE));
        assertThat(store.extensions).as("one write for the second stream").hasValue(1);
        assertThat(store.acquires).hasValue(1);
        assertThat(store.releases).hasValue(0);
        clock.now.set(next.plusSeconds(20));
        pool.release(account, "req_2");
        clock.now.set(next.plusSeconds(20).plus(LINGER));
        pool.sweep();
        assertThat(store.releases).hasValue(1);
        assertThat(openStreams(account)).isZero();
    }

    @Test
    void aKeptSlotReclaimedMeanwhileIsReplacedByANewLease() {
        Counting store = new Counting(1);
        String account = Ids.newId("acct");
        PooledStreamSlots pool = poolKeepingOneSlot(store, account);
        // Another instance, at a cap of one, finds that lease ended (this one was frozen past it) and reclaims it.
        Instant past = T0.plus(NEW_LEASE).plus(LINGER).plusSeconds(1);
        DynamoStreamSlots other = new DynamoStreamSlots(dynamo.client(), tables, 1);
        other.acquire(account, "req_other", past, past.plus(NEW_LEASE));
        other.release(account, "req_other");

        Slot slot = pool.acquire(account, "req_2", past, past.plus(NEW_LEASE));

        assertThat(store.extensions).as("the extension found no lease").hasValue(1);
        assertThat(store.acquires).as("so a new one was taken").hasValue(2);
        assertThat(slot.leaseUntil()).isAfterOrEqualTo(past.plus(NEW_LEASE));
        assertThat(openStreams(account)).isEqualTo(1);
        assertThat(leaseEnds(account)).containsExactly(slot.leaseUntil().toEpochMilli());
    }

    @Test
    void anExtensionThatFailsGivesTheKeptSlotBackAndTakesANewOne() {
        Counting store = new Counting(1);
        String account = Ids.newId("acct");
        PooledStreamSlots pool = poolKeepingOneSlot(store, account);
        store.failExtends.set(true);

        Instant later = T0.plus(LINGER).plusSeconds(1);
        Slot slot = pool.acquire(account, "req_2", later, later.plus(NEW_LEASE));

        assertThat(store.releases).as("the kept slot is not forgotten while the store counts it").hasValue(1);
        assertThat(store.acquires).hasValue(2);
        assertThat(openStreams(account)).as("at a cap of one, the new lease fits").isEqualTo(1);
        assertThat(leaseEnds(account)).containsExactly(slot.leaseUntil().toEpochMilli());
    }

    @Test
    void keptSlotsNeverMakeTheCapRefuseAStreamThereIsRoomFor() {
        Counting store = new Counting(2);
        PooledStreamSlots pool = new PooledStreamSlots(store, LINGER, LINGER, new MovableClock());
        String account = Ids.newId("acct");
        pool.acquire(account, "req_1", T0, T0.plus(NEW_LEASE));
        pool.acquire(account, "req_2", T0, T0.plus(NEW_LEASE));
        pool.release(account, "req_1");
        pool.release(account, "req_2");
        // Both slots are kept, but too short for streams starting after the linger: each new stream extends one,
        // so two streams fit the cap of two, and a third is refused.
        Instant later = T0.plus(LINGER).plusSeconds(1);

        assertThat(pool.acquire(account, "req_3", later, later.plus(NEW_LEASE)).requestId()).isEqualTo("req_3");
        assertThat(pool.acquire(account, "req_4", later, later.plus(NEW_LEASE)).requestId()).isEqualTo("req_4");
        assertThat(openStreams(account)).isEqualTo(2);
        assertThatThrownBy(() -> pool.acquire(account, "req_5", later, later.plus(NEW_LEASE)))
                .isInstanceOf(TooManyStreamsException.class);
        assertThat(openStreams(account)).isEqualTo(2);
        assertThat(pool.kept(account)).isZero();
    }

    @Test
    void acquiringAgainForARequestReturnsItsSlotAndReleasingTwiceKeepsOneSlot() {
        Counting store = new Counting(5);
        PooledStreamSlots pool = new PooledStreamSlots(store, LINGER, LINGER, new MovableClock());
        String account = Ids.newId("acct");
        Slot first = pool.acquire(account, "req_1", T0, T0.plus(NEW_LEASE));

        assertThat(pool.acquire(account, "req_1", T0, T0.plus(NEW_LEASE))).isEqualTo(first);
        pool.release(account, "req_1");
        pool.release(account, "req_1");
        pool.release(account, "req_unknown");
        assertThat(pool.kept(account)).isEqualTo(1);
        assertThat(openStreams(account)).isEqualTo(1);
    }

    @Test
    void twoInstancesRacingWithManyThreadsNeverHaveMoreStreamsOpenThanTheCap() throws Exception {
        int cap = 4;
        String account = Ids.newId("acct");
        MovableClock clock = new MovableClock();
        List<Counting> stores = List.of(new Counting(cap), new Counting(cap));
        List<PooledStreamSlots> instances = List.of(
                new PooledStreamSlots(stores.get(0), LINGER, LINGER, clock),
                new PooledStreamSlots(stores.get(1), LINGER, LINGER, clock));
        AtomicInteger open = new AtomicInteger();
        AtomicInteger mostOpen = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(12);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            PooledStreamSlots pool = instances.get(t % 2);
            int thread = t;
            done.add(threads.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    String request = "req_" + thread + "_" + i;
                    Instant now = clock.instant();
                    try {
                        pool.acquire(account, request, now, now.plus(NEW_LEASE));
                    } catch (TooManyStreamsException e) {
                        refused.incrementAndGet();
                        continue;
                    }
                    mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    served.incrementAndGet();
                    open.decrementAndGet();
                    pool.release(account, request);
                    if (i % 5 == 0) {
                        pool.sweep();
                    }
                    if (i % 4 == 0) { // kept slots go too short for new streams: they are extended while racing
                        clock.now.updateAndGet(at -> at.plus(LINGER.dividedBy(3)));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        threads.shutdown();

        assertThat(mostOpen.get()).as("streams open at once").isLessThanOrEqualTo(cap);
        assertThat(stores).as("kept slots were extended during the race").allMatch(store -> store.extensions.get() > 0);
        assertThat(served.get()).isPositive();
        assertThat(served.get() + refused.get()).isEqualTo(12 * 25);
        assertThat(openStreams(account)).as("kept slots still count").isLessThanOrEqualTo(cap);
        instances.forEach(PooledStreamSlots::close);
        assertThat(openStreams(account)).as("nothing is left taken after both instances give back").isZero();
        assertThat(leases(account)).isZero();
    }

    /** One stream starting {@code now}: its slot covers it, it is released at once, and the pool is swept. */
    private static void streamAt(PooledStreamSlots pool, String account, String request, Instant now) {
        Slot slot = pool.acquire(account, request, now, now.plus(NEW_LEASE));
        assertThat(slot.leaseUntil()).as("the lease covers the stream").isAfterOrEqualTo(now.plus(NEW_LEASE));
        pool.release(account, request);
        pool.sweep();
    }

    /**
     * A pool keeping one slot of {@code account}, taken and released at {@code T0}: leased until T0 + 15 min + linger.
     */
    private static PooledStreamSlots poolKeepingOneSlot(Counting store, String account) {
        return poolKeepingOneSlot(store, account, new MovableClock());
    }

    private static PooledStreamSlots poolKeepingOneSlot(Counting store, String account, MovableClock clock) {
        PooledStreamSlots pool = new PooledStreamSlots(store, LINGER, LINGER, clock);
        pool.acquire(account, "req_1", T0, T0.plus(NEW_LEASE));
        pool.release(account, "req_1");
        return pool;
    }

    private static long openStreams(String account) {
        AttributeValue count = item(account).get("openStreams");
        return count == null ? 0 : Long.parseLong(count.n());
    }

    private static List<Long> leaseEnds(String account) {
        AttributeValue leases = item(account).get("leases");
        return leases == null ? List.of() : leases.m().values().stream().map(v -> Long.parseLong(v.n())).toList();
    }

    private static int leases(String account) {
        AttributeValue leases = item(account).get("leases");
        return leases == null ? 0 : leases.m().size();
    }

    private static java.util.Map<String, AttributeValue> item(String account) {
        return dynamo.client().getItem(b -> b.tableName(tables.holds()).consistentRead(true)
                .key(Map.of("holdId", Attr.s(DynamoStreamSlots.ITEM_PREFIX + account)))).item();
    }
}
