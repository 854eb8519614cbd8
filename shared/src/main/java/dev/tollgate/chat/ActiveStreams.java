package dev.tollgate.chat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams this process is relaying, so that a shutdown can let them finish and end the rest by the stream
 * policy (usage, an error event, {@code [DONE]}, settled) instead of cutting them.
 */
public final class ActiveStreams {

    private final Set<StreamRelay> running = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    void add(StreamRelay relay) {
        running.add(relay);
        if (draining) {
            relay.endForShutdown(); // admitted while the server was stopping: end it at once, settled
        }
    }

    void remove(StreamRelay relay) {
        synchronized (running) {
            running.remove(relay);
            running.notifyAll();
        }
    }

    public int size() {
        return running.size();
    }

    /**
     * Lets running streams finish for up to {@code grace}, then ends the rest and waits up to {@code settleWait}
     * for them to settle. Returns how many were ended early.
     */
    public int drain(Duration grace, Duration settleWait) throws InterruptedException {
        draining = true;
        awaitEmpty(grace);
        List<StreamRelay> left = List.copyOf(running);
        left.forEach(StreamRelay::endForShutdown);
        awaitEmpty(settleWait);
        return left.size();
    }

    private void awaitEmpty(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (running) {
            while (!running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                running.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
