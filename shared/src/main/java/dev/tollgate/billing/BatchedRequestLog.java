package dev.tollgate.billing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log's entries of free requests, kept in memory and written by {@link #flush()} with the usage counters
 * (every second, and at shutdown): a free request makes no DynamoDB call of its own. Like the counters, a process
 * killed between flushes loses up to one interval of them; no balance depends on them. While DynamoDB refuses the
 * writes, at most {@value #MAX_PENDING} wait; beyond that new ones are dropped and counted, rather than memory grown.
 */
public final class BatchedRequestLog {

    static final int MAX_PENDING = 100_000;
    private static final int CHUNK = 100;
    private static final Logger LOG = LoggerFactory.getLogger(BatchedRequestLog.class);

    private final FreeRequestLog log;
    private final ConcurrentLinkedQueue<Charge> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

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

    /** Writes what is pending; a chunk that fails stays pending for the next flush. Returns how many were written. */
    public int flush() {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            LOG.warn("{} free requests were left out of the request log: {} were waiting to be written", lost, MAX_PENDING);
        }
        int written = 0;
        // Only what was pending when the flush began: under constant load a flush still ends.
        int budget = size.get();
        while (budget > 0) {
            List<Charge> chunk = new ArrayList<>(CHUNK);
            Charge next;
            while (chunk.size() < Math.min(CHUNK, budget) && (next = pending.poll()) != null) {
                chunk.add(next);
            }
            if (chunk.isEmpty()) {
                return written;
            }
            budget -= chunk.size();
            size.addAndGet(-chunk.size());
            try {
                log.write(chunk);
                written += chunk.size();
            } catch (RuntimeException e) {
                LOG.warn("writing {} free requests to the request log failed; retrying next flush", chunk.size(), e);
                chunk.forEach(this::add);
                return written;
            }
        }
        return written;
    }

    /** How many entries wait to be written. */
    public int pending() {
        return size.get();
    }
}
