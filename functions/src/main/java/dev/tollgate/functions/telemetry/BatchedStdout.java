package dev.tollgate.functions.telemetry;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The local and container server's log output: lines are collected in memory and written to standard output by one
 * thread of its own, {@link #LINGER_MILLIS} ms after the first of them, in one write. Written one at a time (a system
 * call and {@code System.out}'s lock each), the request line, one per request, cost ~12 % of a free request's CPU
 * (docs/PERFORMANCE.md; formatting included). Lambda keeps writing each line at once: its runtime collects standard
 * output per invocation.
 *
 * <p>{@link #flush()} (and {@link #close()}, which leaves standard output open as logback's console appender does)
 * writes what is collected on the calling thread. As the JVM shuts down, a hook writes what is collected and from
 * then on every line is written at once: the server's own shutdown still logs. A process killed outright loses the
 * lines of its last linger. Standard output is written through its file descriptor, not {@code System.out}: what
 * the process prints with {@code System.out} (the local server's banner) calls {@link #flushStdout()} first, so
 * that it follows the lines logged before it.
 *
 * <p>When more than {@link #MAX_PENDING} bytes are waiting (the writer thread cannot keep up), the thread that adds a
 * line writes what is collected itself, so memory stays bounded and lines keep their order. A failed write drops
 * that batch (standard output is gone or full) and never reaches the logging call.
 */
public final class BatchedStdout extends OutputStream {

    /** How long the first line of a batch waits for others. */
    public static final long LINGER_MILLIS = 10;
    /** Bytes collected before a writing thread writes them itself. */
    static final int MAX_PENDING = 256 * 1024;
    private static final int INITIAL = 8192;

    private static BatchedStdout stdout;

    private final OutputStream out;
    private final long lingerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Serializes writes to {@code out}, so that batches keep their order; taken before {@code lock}, never after. */
    private final ReentrantLock writing = new ReentrantLock();
    private final Thread writer;
    private byte[] pending = new byte[INITIAL];
    /** The buffer of the batch written last, reused for the next one. */
    private byte[] spare;
    private int size;
    /** Set as the JVM exits: from then on each line is written at once, since the process may end at any moment. */
    private volatile boolean immediate;
    private volatile boolean stopped;

    /** The process's standard output, batched; one for the whole process. */
    public static synchronized BatchedStdout stdout() {
        if (stdout == null) {
            stdout = new BatchedStdout(new FileOutputStream(FileDescriptor.out),
                    TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS));
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(stdout::immediate, "tollgate-log-flush-at-exit"));
            } catch (IllegalStateException shuttingDown) {
                stdout.immediate();
            }
        }
        return stdout;
    }

    /** Writes what the batched standard output holds, if there is one: call before printing to {@code System.out}. */
    public static void flushStdout() {
        BatchedStdout current;
        synchronized (BatchedStdout.class) {
            current = stdout;
        }
        if (current != null) {
            current.flushQuietly();
        }
    }

    BatchedStdout(OutputStream out, long lingerNanos) {
        this.out = out;
        this.lingerNanos = lingerNanos;
        this.writer = Thread.ofPlatform().daemon().name("tollgate-log-writer").unstarted(this::run);
        writer.start();
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        boolean wake;
        boolean full;
        lock.lock();
        try {
            if (size + length > pending.length) {
                byte[] larger = new byte[Math.max(pending.length * 2, size + length)];
                System.arraycopy(pending, 0, larger, 0, size);
                pending = larger;
            }
            System.arraycopy(bytes, offset, pending, size, length);
            wake = size == 0;
            size += length;
            full = size > MAX_PENDING;
        } finally {
            lock.unlock();
        }
        if (full || immediate || stopped) {
            flushQuietly();
        } else if (wake) {
            LockSupport.unpark(writer);
        }
    }

    /** Writes what is collected now, on the calling thread. */
    @Override
    public void flush() throws IOException {
        writing.lock();
        try {
            byte[] batch;
            int length;
            lock.lock();
            try {
                if (size == 0) {
                    return;
                }
                batch = pending;
                length = size;
                pending = spare != null ? spare : new byte[INITIAL];
                spare = null;
                size = 0;
            } finally {
                lock.unlock();
            }
            try {
                out.write(batch, 0, length);
                out.flush();
            } finally {
                if (batch.length <= MAX_PENDING * 2) {
                    lock.lock();
                    try {
                        spare = batch;
                    } finally {
                        lock.unlock();
                    }
                }
            }
        } finally {
            writing.unlock();
        }
    }

    /** Writes what is collected; standard output stays open (logback's appender closes its stream when it stops). */
    @Override
    public void close() {
        flushQuietly();
    }

    /** Writes what is collected, and from now on each line at once (the JVM's shutdown: other hooks still log). */
    void immediate() {
        immediate = true;
        flushQuietly();
    }

    /** Ends the writer thread (tests); later lines are written at once. */
    void stopWriter() {
        stopped = true;
        LockSupport.unpark(writer);
        flushQuietly();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (IOException | RuntimeException e) {
            // Standard output is gone or full: the batch is dropped, and the lines after it are tried again.
        }
    }

    private boolean hasPending() {
        lock.lock();
        try {
            return size > 0;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (!stopped) {
            try {
                if (!hasPending()) {
                    LockSupport.park(this);
                    continue;
                }
                long until = System.nanoTime() + lingerNanos;
                for (long left = lingerNanos; left > 0 && !stopped; left = until - System.nanoTime()) {
                    LockSupport.parkNanos(this, left);
                }
                flushQuietly();
            } catch (Throwable e) {
                // Out of memory for a batch, say: the thread must live on, or lines would wait for the bound.
                LockSupport.parkNanos(this, lingerNanos);
            }
        }
    }
}
