package dev.tollgate.bench;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast this host wakes an idle thread, printed with every benchmark so its latency figures can be read in
 * context. After 2 ms of idleness (as between two requests at a moderate rate) it hands a task to a parked pool
 * thread and, separately, starts a virtual thread, and times until each runs. A gateway request crosses about
 * five such hand-offs (event loop, virtual thread, the JDK's socket poller and back), so when the host wakes
 * threads slowly, every latency row moves with it: on one day this doubled within an hour (docs/PERFORMANCE.md).
 *
 * <p>Usage: {@code WakeupProbe [samples]}; prints {@code pool_p50 pool_p90 virtual_p50 virtual_p90} in µs.
 */
public final class WakeupProbe {

    private WakeupProbe() {
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long[] pool = new long[n];
        long[] virtual = new long[n];
        try (ExecutorService single = Executors.newSingleThreadExecutor();
             ExecutorService virtuals = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                pool[i] = handOff(single);
                virtual[i] = handOff(virtuals);
            }
        }
        Arrays.sort(pool);
        Arrays.sort(virtual);
        System.out.printf("%d %d %d %d%n", pool[n / 2] / 1000, pool[n * 9 / 10] / 1000,
                virtual[n / 2] / 1000, virtual[n * 9 / 10] / 1000);
    }

    /** Nanoseconds from handing a task to {@code executor}, after 2 ms idle, until it runs. */
    private static long handOff(ExecutorService executor) throws InterruptedException, ExecutionException {
        LockSupport.parkNanos(2_000_000);
        long start = System.nanoTime();
        CompletableFuture<Long> ran = new CompletableFuture<>();
        executor.execute(() -> ran.complete(System.nanoTime()));
        return ran.get() - start;
    }
}
