package dev.tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.ExpectedLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Free requests' log entries: written in chunks at a flush, kept for the next flush when writing fails, bounded. */
class BatchedRequestLogTest {

    final List<List<Charge>> written = Collections.synchronizedList(new ArrayList<>());
    volatile boolean failing;
    final BatchedRequestLog log = new BatchedRequestLog(charges -> {
        if (failing) {
            throw new IllegalStateException("throttled");
        }
        written.add(List.copyOf(charges));
    });

    @Test
    void aFlushWritesWhatWasPendingInChunksAndAFailedChunkWaitsForTheNext() {
        int entries = 2 * BatchedRequestLog.CHUNK + BatchedRequestLog.CHUNK / 2;
        for (int i = 0; i < entries; i++) {
            log.add(charge(i));
        }
        failing = true;
        try (ExpectedLog warned = ExpectedLog.of(BatchedRequestLog.class)) {
            assertThat(log.flush()).isZero();
            assertThat(warned.warnings()).singleElement().asString().contains("retrying next flush", "throttled");
        }
        assertThat(log.pending()).isEqualTo(entries);

        failing = false;
        assertThat(log.flush()).isEqualTo(entries);
        assertThat(written).extracting(List::size).containsExactlyInAnyOrder(BatchedRequestLog.CHUNK, BatchedRequestLog.CHUNK,
                BatchedRequestLog.CHUNK / 2);
        assertThat(written.stream().flatMap(List::stream).map(Charge::requestId).distinct()).hasSize(entries);
        assertThat(log.pending()).isZero();
    }

    @Test
    void aFlushOfManyEntriesWritesItsChunksInFourLanesAtOnce() throws Exception {
        CountDownLatch fourInFlight = new CountDownLatch(BatchedRequestLog.LANES);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        BatchedRequestLog parallel = new BatchedRequestLog(charges -> {
            fourInFlight.countDown();
            try {
                // one lane at a time would wait here for the full 10 s and fail below
                assertThat(fourInFlight.await(10, TimeUnit.SECONDS)).as("four chunks written at once").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            sizes.add(charges.size());
        });
        int entries = 3 * BatchedRequestLog.PER_LANE + 50;  // four lanes' worth
        for (int i = 0; i < entries; i++) {
            parallel.add(charge(i));
        }

        assertThat(parallel.flush()).isEqualTo(entries);
        assertThat(sizes).hasSize((entries + BatchedRequestLog.CHUNK - 1) / BatchedRequestLog.CHUNK)
                .containsOnly(BatchedRequestLog.CHUNK, 50);
        assertThat(parallel.pending()).isZero();
    }

    @Test
    void aFlushOfFewEntriesKeepsToOneLane() {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        BatchedRequestLog few = new BatchedRequestLog(charges -> threads.add(Thread.currentThread().getName()));
        for (int i = 0; i < BatchedRequestLog.PER_LANE; i++) {
            few.add(charge(i));
        }

        assertThat(few.flush()).isEqualTo(BatchedRequestLog.PER_LANE);
        assertThat(threads).hasSize(BatchedRequestLog.PER_LANE / BatchedRequestLog.CHUNK)
                .containsOnly(Thread.currentThread().getName());
    }

    @Test
    void aFailedChunkAndTheRestOfItsLaneWaitWhileTheOtherLanesAreWritten() {
        BatchedRequestLog partly = new BatchedRequestLog(charges -> {
            if (charges.getFirst().requestId().equals("req_1000")) {  // the first chunk of the second lane
                throw new IllegalStateException("throttled");
            }
            written.add(List.copyOf(charges));
        });
        int entries = 4 * BatchedRequestLog.PER_LANE;  // 8 chunks, lane k has chunks k, k + 4
        for (int i = 0; i < entries; i++) {
            partly.add(charge(i));
        }
        try (ExpectedLog warned = ExpectedLog.of(BatchedRequestLog.class)) {
            assertThat(partly.flush()).isEqualTo(entries - 2_000);
            assertThat(warned.warnings()).singleElement().asString().contains("writing 2000 free requests", "throttled");
        }
        assertThat(partly.pending()).isEqualTo(2_000);
        assertThat(written.stream().flatMap(List::stream).map(Charge::requestId))
                .hasSize(entries - 2_000).doesNotContain("req_1000", "req_1999", "req_5000", "req_5999")
                .contains("req_0", "req_999", "req_2000", "req_4999");
    }

    @Test
    void anErrorInALaneKeepsItsEntriesAndReachesTheCaller() {
        BatchedRequestLog failing = new BatchedRequestLog(charges -> {
            if (charges.getFirst().requestId().equals("req_0")) {
                throw new OutOfMemoryError("simulated");
            }
        });
        for (int i = 0; i < BatchedRequestLog.PER_LANE; i++) {  // one lane of two chunks
            failing.add(charge(i));
        }

        assertThatThrownBy(failing::flush).isInstanceOf(OutOfMemoryError.class).hasMessage("simulated");
        assertThat(failing.pending()).as("the failed chunk and the one after it").isEqualTo(2 * BatchedRequestLog.CHUNK);
    }

    @Test
    void entriesBeingWrittenStillCountTowardTheCap() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BatchedRequestLog slow = new BatchedRequestLog(charges -> {
            writing.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < BatchedRequestLog.MAX_PENDING; i++) {
            slow.add(charge(i));
        }
        Thread flush = Thread.ofVirtual().start(slow::flush);
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

        slow.add(charge(-1));
        assertThat(slow.pending()).as("in flight, and still the cap").isEqualTo(BatchedRequestLog.MAX_PENDING);
        release.countDown();
        flush.join(Duration.ofSeconds(10));
        assertThat(slow.pending()).isZero();
        try (ExpectedLog warned = ExpectedLog.of(BatchedRequestLog.class)) {
            slow.flush();
            assertThat(warned.warnings()).singleElement().asString().startsWith("1 free requests were left out");
        }
    }

    @Test
    void beyondTheCapNewEntriesAreDroppedNotKept() {
        for (int i = 0; i < BatchedRequestLog.MAX_PENDING + 10; i++) {
            log.add(charge(i));
        }
        assertThat(log.pending()).isEqualTo(BatchedRequestLog.MAX_PENDING);
        try (ExpectedLog warned = ExpectedLog.of(BatchedRequestLog.class)) {
            assertThat(log.flush()).isEqualTo(BatchedRequestLog.MAX_PENDING);
            assertThat(warned.warnings()).singleElement().asString().startsWith("10 free requests were left out");
        }
    }

    @Test
    void aFlushEndsEvenWhileRequestsKeepComing() {
        BatchedRequestLog[] self = new BatchedRequestLog[1];
        self[0] = new BatchedRequestLog(charges -> charges.forEach(c -> self[0].add(charge(0))));
        for (int i = 0; i < 300; i++) {
            self[0].add(charge(i));
        }
        assertThat(self[0].flush()).isEqualTo(300);
        assertThat(self[0].pending()).isEqualTo(300);
    }

    private static Charge charge(int i) {
        return new Charge("req_" + i, "acct", "key", "free", TokenUsage.NONE, Money.ZERO, "ok", 1, Instant.EPOCH);
    }
}
