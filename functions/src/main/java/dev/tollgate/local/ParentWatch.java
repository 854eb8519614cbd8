package dev.tollgate.local;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Stops the local server when the process that started it ends. {@code ./mvnw -Prun} runs the server as a child
 * of Maven, and Maven does not stop its child when it is itself stopped by a signal sent to it alone (an IDE's stop
 * button, a process manager, {@code kill}): without this the server stayed behind, still answering on its port.
 * A Ctrl-C in a terminal reaches both processes anyway.
 */
final class ParentWatch {

    /** What a stop waits for at most; the JDK's own onExit polling of a non-child slows to once every 5 s. */
    static final Duration EVERY = Duration.ofMillis(200);

    private ParentWatch() {
    }

    /**
     * Starts a daemon thread that calls {@code stop} with the parent's pid once the parent has ended. The parent is
     * the process {@code tollgate.local.parent-pid} names when set (scripts/run-local.sh names Maven, which may have
     * ended before the script's exec made the server its child), else this process's parent.
     */
    static void start(Consumer<Long> stop) {
        Long named = Long.getLong("tollgate.local.parent-pid");
        Optional<ProcessHandle> watched = named != null ? ProcessHandle.of(named) : ProcessHandle.current().parent();
        if (named != null && watched.isEmpty()) {
            stop.accept(named);
            return;
        }
        watched.ifPresent(parent -> {
            Thread watcher = new Thread(() -> {
                while (parent.isAlive()) {
                    try {
                        Thread.sleep(EVERY.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                stop.accept(parent.pid());
            }, "tollgate-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        });
    }
}
