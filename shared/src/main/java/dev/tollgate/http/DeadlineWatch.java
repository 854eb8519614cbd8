package dev.tollgate.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends upstream exchanges at their deadline by closing their connection, from one daemon thread that looks at the
 * watched connections every {@code tick} while there are any (and for {@code linger} after the last one left, so a
 * steady trickle of requests does not wake it each time).
 *
 * <p>Why not the socket's own timeout: a read with {@code SO_TIMEOUT} on a virtual thread is a timed park, which
 * JDK 25 hands to the carrier pool's delay scheduler, a thread woken for every such read (and again when the read
 * returns first). A thread per upstream request woken for a timeout that almost never fires cost ~8 % of a free
 * request's CPU under load (docs/PERFORMANCE.md); watching costs a set insertion and removal. A deadline is kept
 * to within one tick.
 */
final class DeadlineWatch {

    /** What is watched: a connection, in tests anything that can be closed at a deadline. */
    interface Watched {
        /** Closes itself if its deadline has passed at {@code now}; true if it is closed (it leaves the watch). */
        boolean closeIfPastDeadline(long now);
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineWatch.class);

    static final DeadlineWatch SHARED = new DeadlineWatch(Duration.ofMillis(10), Duration.ofSeconds(1));

    private final long tickNanos;
    private final long lingerNanos;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private volatile boolean sleeping;
    private volatile Thread thread;

    DeadlineWatch(Duration tick, Duration linger) {
        this.tickNanos = tick.toNanos();
        this.lingerNanos = linger.toNanos();
    }

    /** Watches {@code connection} until {@link #unwatch}: it is closed once its deadline has passed. */
    void watch(Watched connection) {
        watched.add(connection);
        Thread watcher = thread;
        if (watcher == null) {
            start();
        } else if (sleeping) {
            LockSupport.unpark(watcher);
        }
    }

    void unwatch(Watched connection) {
        watched.remove(connection);
    }

    /** Whether the thread has gone to sleep until the next watch (for tests). */
    boolean sleeping() {
        return sleeping;
    }

    /** Connections watched now (for tests). */
    int watching() {
        return watched.size();
    }

    private synchronized void start() {
        if (thread == null) {
            Thread watcher = Thread.ofPlatform().name("tollgate-upstream-deadlines").daemon()
                    .inheritInheritableThreadLocals(false).unstarted(this::run);
            thread = watcher;   // before it runs: its end (run's finally) waits for this lock
            watcher.start();
        }
    }

    /**
     * Should the thread end after all (an error outside any one connection's close), the next {@link #watch} starts
     * another: without it, no deadline would be kept and a silent upstream would hold its caller for good.
     */
    private void run() {
        try {
            watchUntilStopped();
        } finally {
            synchronized (this) {
                sleeping = false;
                thread = null;
            }
        }
    }

    private void watchUntilStopped() {
        long busyAt = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            for (Watched connection : watched) {
                try {
                    if (connection.closeIfPastDeadline(now)) {
                        watched.remove(connection);
                    }
                } catch (Throwable e) {
                    // One connection's failure must not end the watch of the others.
                    LOG.warn("closing an upstream connection at its deadline failed", e);
                    watched.remove(connection);
                }
            }
            if (!watched.isEmpty()) {
                busyAt = now;
            } else if (now - busyAt > lingerNanos) {
                sleeping = true;   // then look again: a connection added meanwhile saw either this or the set
                if (watched.isEmpty()) {
                    LockSupport.park(this);
                }
                sleeping = false;
                busyAt = System.nanoTime();
                continue;
            }
            LockSupport.parkNanos(this, tickNanos);
        }
    }
}
