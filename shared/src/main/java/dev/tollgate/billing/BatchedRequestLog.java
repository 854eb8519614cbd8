package dev.tollgate.billing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log's entries of free requests, kept in memory and written by {@link #flush()} with the usage counters
 * (every second, and at shutdown): a free request makes no DynamoDB call of its own. Like the counters, a process
 * killed between flushes loses up to one interval of them; no balance depends on them. While DynamoDB refuses the
 * writes, at most {@value #MAX_PENDING} wait or are being written (some 10 MB of heap); beyond that new ones are dropped and counted,
 * rather than memory grown.
 *
 * <p>A flush with many entries writes its chunks in up to {@value #LANES} lanes at once, one lane per
 * {@value #PER_LANE} entries, on threads of its own. The lanes date from when each entry was an item of its own: one
 * after another, a chunk's BatchWriteItem calls took long enough that one instance serving a few thousand free
 * requests a second fell behind, the waiting entries filled the bound and most were dropped (docs/PERFORMANCE.md,
 * "As shipped"). Since entries are packed (docs/adr/0008, amendment) a chunk of {@value #CHUNK} is one call of a few
 * items. A flush of fewer entries keeps to one lane: lanes at once put the writers' CPU into one burst, which on two
 * cores showed in requests' p99 at 1,000 requests a second (bench/compare.sh).
 */
public final class BatchedRequestLog {

    static final int MAX_PENDING = 25_000;
    static final int LANES = 4;
    static final int PER_LANE = 2_000;
    /** Entries per write: the store packs them (a few items per account, key and second), one call per chunk. */
    static final int CHUNK = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(BatchedRequestLog.class);
    private static final ThreadFactory WRITERS = Thread.ofPlatform().name("tollgate-request-log-", 0).daemon().factory();

    private final FreeRequestLog log;
    private final ConcurrentLinkedQueue<Charge> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final ReentrantLock flushing = new ReentrantLock();

    public BatchedRequestLog(FreeRequestLog log) {
        this.log = log;
    }

    public void add(Charge charge) {
        if (size.incrementAndGet() > MAX_PENDING) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        pending.add(charge);
    }

    /**
     * Writes what is pending; a chunk that fails stays pending for the next flush, with the chunks after it in its
     * lane. Returns how many were written. One flush at a time (the scheduled one, a usage read's, the one at
     * shutdown): a second waits for the first, then writes what is left.
     */
    public int flush() {
        flushing.lock();
        try {
            return flushNow();
        } finally {
            flushing.unlock();
        }
    }

    private int flushNow() {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            LOG.warn("{} free requests were left out of the request log: {} were waiting to be written", lost, MAX_PENDING);
        }
        // Only what was pending when the flush began: under constant load a flush still ends. Entries being written
        // still count toward MAX_PENDING until their chunk is written.
        List<List<Charge>> lanes = new ArrayList<>(LANES);
        int budget = size.get();
        int laneCount = Math.clamp((budget + PER_LANE - 1) / PER_LANE, 1, LANES);
        int taken = 0;
        Charge next;
        while (taken < budget && (next = pending.poll()) != null) {
            int lane = taken / CHUNK % laneCount;  // chunk after chunk, one lane after the other
            if (lane == lanes.size()) {
                lanes.add(new ArrayList<>());
            }
            lanes.get(lane).add(next);
            taken++;
        }
        if (lanes.isEmpty()) {
            return 0;
        }
        if (lanes.size() == 1) {
            return finish(List.of(write(lanes.getFirst())));
        }
        List<Future<Lane>> running = new ArrayList<>(lanes.size());
        // Platform threads, as the flush's own: the SDK's marshalling and signing on virtual threads would take the
        // carriers that serve requests (bench/compare.sh showed their p99 grow).
        try (ExecutorService writers = Executors.newThreadPerTaskExecutor(WRITERS)) {
            for (List<Charge> lane : lanes) {
                running.add(writers.submit(() -> write(lane)));
            }
        }
        return finish(running.stream().map(Future::resultNow).toList());
    }

    private record Lane(int written, int failed, Throwable error) {
    }

    /**
     * Writes a lane's chunks in turn; from a chunk that fails on, the rest go back to the pending entries (still
     * counted, so they do not compete with new ones for room).
     */
    private Lane write(List<Charge> lane) {
        int written = 0;
        for (int from = 0; from < lane.size(); from += CHUNK) {
            List<Charge> chunk = lane.subList(from, Math.min(lane.size(), from + CHUNK));
            try {
                log.write(chunk);
                written += chunk.size();
                size.addAndGet(-chunk.size());
            } catch (Throwable e) {  // an Error too: the entries are kept, and finish() throws it on
                List<Charge> rest = lane.subList(from, lane.size());
                pending.addAll(rest);
                return new Lane(written, rest.size(), e);
            }
        }
        return new Lane(written, 0, null);
    }

    private static int finish(List<Lane> lanes) {
        int failed = lanes.stream().mapToInt(Lane::failed).sum();
        if (failed > 0) {
            List<Throwable> errors = lanes.stream().map(Lane::error).filter(e -> e != null).toList();
            for (Throwable error : errors) {
                if (error instanceof Error fatal) {
                    throw fatal;
                }
            }
            Throwable first = errors.getFirst();
            LOG.warn("writing {} free requests to the request log failed; retrying next flush", failed, first);
        }
        return lanes.stream().mapToInt(Lane::written).sum();
    }

    /** How many entries wait to be written, or are being written. */
    public int pending() {
        return size.get();
    }
}
