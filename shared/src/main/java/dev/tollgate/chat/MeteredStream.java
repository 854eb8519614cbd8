package dev.tollgate.chat;

import dev.tollgate.metrics.Metrics;
import dev.tollgate.metrics.UpstreamError;
import dev.tollgate.upstream.SseEvents;
import dev.tollgate.upstream.UpstreamStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upstream stream that reports its total duration when it ends ({@code tollgate.upstream.duration}), as an error
 * when the upstream broke it or cut it without {@code [DONE]}. A read that fails because Tollgate itself closed the
 * stream (the caller went away) is not the upstream's error.
 */
final class MeteredStream implements UpstreamStream {

    private final UpstreamStream inner;
    private final Metrics metrics;
    private final String upstream;
    private final long startNanos;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean closing;
    private volatile boolean failed;

    MeteredStream(UpstreamStream inner, Metrics metrics, String upstream, long startNanos) {
        this.inner = inner;
        this.metrics = metrics;
        this.upstream = upstream;
        this.startNanos = startNanos;
    }

    @Override
    public String next() throws IOException {
        String data;
        try {
            data = inner.next();
        } catch (IOException e) {
            if (!closing) {
                failed = true;
                metrics.upstreamError(upstream, e instanceof SocketTimeoutException ? UpstreamError.TIMEOUT : UpstreamError.CONNECT);
            }
            throw e;
        }
        if (data == null && !closing) {
            failed = true;
            metrics.upstreamError(upstream, UpstreamError.PROTOCOL);
        } else if (data == SseEvents.DONE) { // identity: what every reader of the stream tests
            end();
        }
        return data;
    }

    @Override
    public boolean hasBuffered() {
        return inner.hasBuffered();
    }

    @Override
    public void beforeWaiting(Runnable flush) {
        inner.beforeWaiting(flush);
    }

    @Override
    public void close() {
        closing = true;
        end();
        inner.close();
    }

    @Override
    public void release() {
        closing = true;
        end();
        inner.release();
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            metrics.upstreamDuration(upstream, !failed, System.nanoTime() - startNanos);
        }
    }
}
