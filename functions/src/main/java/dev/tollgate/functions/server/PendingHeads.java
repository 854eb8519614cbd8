package dev.tollgate.functions.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections of the whole server whose request head is incomplete, oldest first, at most {@code max} of
 * them. A new one beyond the bound evicts the one that has waited longest: a well-behaved client sends its head
 * within milliseconds, so under a flood of slow heads it is the slow ones that go, not the newcomers.
 *
 * <p>Entries that completed their head stay in the queue until they reach its front (they are skipped then); a
 * completed entry stuck behind a slow one waits at most one head timeout, so the queue stays bounded.
 */
final class PendingHeads {

    private final int max;
    private final AtomicInteger pending = new AtomicInteger();
    private final Queue<Entry> oldestFirst = new ConcurrentLinkedQueue<>();

    PendingHeads(int max) {
        this.max = max;
    }

    /** A connection starts waiting for a head; {@code evict} closes it should it be pushed out. */
    Entry add(Runnable evict) {
        Entry entry = new Entry(evict);
        oldestFirst.add(entry);
        if (pending.incrementAndGet() > max) {
            evictOldest();
        }
        dropCompletedAtFront();
        return entry;
    }

    int pending() {
        return pending.get();
    }

    private void evictOldest() {
        for (Entry oldest = oldestFirst.poll(); oldest != null; oldest = oldestFirst.poll()) {
            if (oldest.complete()) {
                oldest.evict.run();
                return;
            }
        }
    }

    private void dropCompletedAtFront() {
        for (Entry front = oldestFirst.peek(); front != null && !front.isPending(); front = oldestFirst.peek()) {
            oldestFirst.remove(front);
        }
    }

    /** One connection's wait for one head. */
    final class Entry {
        private final Runnable evict;
        private final AtomicBoolean waiting = new AtomicBoolean(true);

        private Entry(Runnable evict) {
            this.evict = evict;
        }

        /** Ends the wait (head complete, connection closed or evicted); true only for the call that ended it. */
        boolean complete() {
            if (waiting.compareAndSet(true, false)) {
                pending.decrementAndGet();
                return true;
            }
            return false;
        }

        boolean isPending() {
            return waiting.get();
        }
    }
}
