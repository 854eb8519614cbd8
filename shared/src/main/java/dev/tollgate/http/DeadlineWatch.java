package dev.tollgate.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

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

    static final DeadlineWatch SHARED = new DeadlineWatch(Duration.ofMillis(10), Duration.ofSeconds(1));

    private final long tickNanos;
    private final long lingerNanos;
    private final Set<Http1Connection> watched = ConcurrentHashMap.newKeySet();
    private volatile boolean sleeping;
    private volatile Thread thread;

    DeadlineWatch(Duration tick, Duration linger) {
        this.tickNanos = tick.toNanos();
        this.lingerNanos = linger.toNanos();
    }

    /** Watches {@code connection} until {@link #unwatch}: it is closed once its deadline has passed. */
    void watch(Http1Connection connection) {
        watched.add(connection);
        Thread watcher = thread;
        if (watcher == null) {
            start();
        } else if (sleeping) {
            LockSupport.unpark(watcher);
        }
    }

    void unwatch(Http1Connection connection) {
        watched.remove(connection);
    }

    /** Connections watched now (for tests). */
    int watching() {
        return watched.size();
    }

    private synchronized void start() {
        if (thread == null) {
            Thread watcher = new Thread(this::run, "tollgate-upstream-deadlines");
            watcher.setDaemon(true);
            thread = watcher;
            watcher.start();
        }
    }

    private void run() {
        long busyAt = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            for (Http1Connection connection : watched) {
                if (connection.closeIfPastDeadline(now)) {
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
