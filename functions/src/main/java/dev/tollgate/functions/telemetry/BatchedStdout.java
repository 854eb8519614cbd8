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
 * thread of its own, at most {@code linger} after the first of them, in one write. Written one at a time, the
 * request line (one per request) cost a free request ~10 % of its CPU (a system call and the shared
 * {@code System.out}'s lock each, docs/PERFORMANCE.md). A line waits at most the linger (10 ms by default). Closing
 * the stream writes what is collected; so does the JVM's shutdown, after which every line is written at once (the
 * server's own shutdown still logs). A process killed outright loses the lines of its last linger. Lambda keeps writing each line at once (its runtime collects standard output per invocation).
 *
 * <p>When more than {@link #MAX_PENDING} bytes are waiting (the writer thread cannot keep up), the thread that adds a
 * line writes what is collected itself, so memory stays bounded and lines keep their order.
 */
public final class BatchedStdout extends OutputStream {

    /** Bytes collected before a writing thread writes them itself. */
    static final int MAX_PENDING = 256 * 1024;

    private final OutputStream out;
    private final long lingerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Serializes writes to {@code out}, so that batches keep their order; taken before {@code lock}, never after. */
    private final ReentrantLock writing = new ReentrantLock();
    private final Thread writer;
    private byte[] pending = new byte[8192];
    private int size;
    private volatile boolean closed;
    /** Set as the JVM exits: from then on each line is written at once, since the process may end at any moment. */
    private volatile boolean immediate;

    /** Standard output, through a writer thread that lingers {@code linger} for more lines. */
    public static BatchedStdout stdout(long linger, TimeUnit unit) {
        BatchedStdout stdout = new BatchedStdout(new FileOutputStream(FileDescriptor.out), unit.toNanos(linger));
        Runtime.getRuntime().addShutdownHook(new Thread(stdout::immediate, "tollgate-log-flush-at-exit"));
        return stdout;
    }

    BatchedStdout(OutputStream out, long lingerNanos) {
        this.out = out;
        this.lingerNanos = lingerNanos;
        this.writer = Thread.ofPlatform().daemon().name("tollgate-log-writer").unstarted(this::run);
        writer.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        boolean wake;
        boolean full;
        lock.lock();
        try {
            if (closed) {
                throw new IOException("closed");
            }
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
        if (full || immediate) {
            flush();
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
                pending = new byte[Math.min(Math.max(8192, length), MAX_PENDING)];
                size = 0;
            } finally {
                lock.unlock();
            }
            out.write(batch, 0, length);
            out.flush();
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        LockSupport.unpark(writer);
        flush();
    }

    /** Writes what is collected, and from now on each line at once (the JVM's shutdown: other hooks still log). */
    void immediate() {
        immediate = true;
        flushQuietly();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (IOException e) {
            // Standard output is gone: nothing left to tell.
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
        while (!closed) {
            if (!hasPending()) {
                LockSupport.park(this);
                continue;
            }
            long until = System.nanoTime() + lingerNanos;
            for (long left = lingerNanos; left > 0 && !closed; left = until - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
            }
            flushQuietly();
        }
    }
}
