package dev.tollgate.functions.server;

import dev.tollgate.error.ErrorCode;
import dev.tollgate.error.ErrorEnvelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closes a connection whose request head is not complete within a deadline, with a 408 in the OpenAI error
 * envelope when no earlier response on it is still being written. The clock starts when the connection is accepted
 * and, on a kept-alive connection, at the first byte of each later request. Idle time between requests is left to
 * Micronaut's {@code idle-timeout}, and so is the rare partial head that came in the same read as the end of the
 * previous request and is followed by silence (the codec holds it, and no new byte starts the clock).
 *
 * <p>The body is not under this deadline (a 16 MiB upload may be slow and honest), but a request refused before its
 * body has arrived (over the size limit, say) has its connection closed after the answer, so a body that never
 * comes cannot hold it either.
 *
 * <p>It sits right after the HTTP codec, where it sees each decoded head and each response it ends;
 * {@link #bytesWatcher()} sits right before the codec and reports the raw bytes that start a head. Every method runs
 * on the connection's event loop, so the state needs no locks. A head Netty could not decode (a Content-Length that
 * is no number, say) gets its 400 from Micronaut and then the connection is closed too: the decoder discards
 * everything after such a head, so the connection could never serve another request.
 */
final class HeadDeadlineHandler extends ChannelDuplexHandler {

    private enum Phase { HEAD, BODY, BETWEEN_REQUESTS }

    private static final long MAX_LINGER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final long timeoutNanos;
    private final PendingHeads pendingHeads;
    private final LongAdder timedOut;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.HEAD;
    private ScheduledFuture<?> deadline;
    private PendingHeads.Entry pending;
    private int unanswered;
    private boolean skipNextLast;
    private boolean closeWhenAnswered;
    private int heads; // counts started clocks, so an eviction meant for an earlier head cannot end a later one

    HeadDeadlineHandler(long timeoutNanos, PendingHeads pendingHeads, LongAdder timedOut) {
        this.timeoutNanos = timeoutNanos;
        this.pendingHeads = pendingHeads;
        this.timedOut = timedOut;
    }

    /** The handler to put before the codec: it sees the raw bytes, so it knows when a new head starts. */
    ChannelInboundHandlerAdapter bytesWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext bytesCtx, Object msg) {
                if (phase == Phase.BETWEEN_REQUESTS && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    phase = Phase.HEAD;
                    startClock();
                }
                bytesCtx.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            startClock(); // the connection is accepted: its first head is due from now
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (deadline == null && phase == Phase.HEAD) {
            startClock();
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            stopClock();
            unanswered++;
            if (request.decoderResult().isFailure()) {
                closeWhenAnswered = true;
            }
            phase = msg instanceof LastHttpContent ? Phase.BETWEEN_REQUESTS : Phase.BODY;
        } else if (msg instanceof LastHttpContent && phase == Phase.BODY) {
            phase = Phase.BETWEEN_REQUESTS;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            // "100 Continue" is not the answer to the request: its end must not count as one
            skipNextLast = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (!skipNextLast && phase == Phase.BODY && unanswered == 1 && response.status().code() >= 400) {
                // refused before its body arrived (e.g. Content-Length over the limit): the rest is not wanted
                closeWhenAnswered = true;
            }
            if (closeWhenAnswered && !skipNextLast) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        if (msg instanceof LastHttpContent) {
            if (skipNextLast) {
                skipNextLast = false;
            } else {
                promise = promise.unvoid();
                promise.addListener(done -> answered());
            }
        }
        ctx.write(msg, promise);
    }

    private void answered() {
        unanswered--;
        if (closeWhenAnswered && unanswered <= 0) {
            closeGently();
        }
    }

    /**
     * Ends the response side first and closes a little later: closing at once while the client is still sending
     * would make the kernel answer its bytes with a reset, which can destroy the response before it is read.
     */
    private void closeGently() {
        if (ctx.channel() instanceof DuplexChannel duplex && !duplex.isOutputShutdown()) {
            duplex.shutdownOutput();
            ctx.executor().schedule(() -> ctx.close(), Math.min(timeoutNanos, MAX_LINGER_NANOS), TimeUnit.NANOSECONDS);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopClock();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stopClock();
    }

    private void startClock() {
        if (deadline != null) {
            return;
        }
        int head = ++heads;
        deadline = ctx.executor().schedule(() -> expire(head), timeoutNanos, TimeUnit.NANOSECONDS);
        pending = pendingHeads.add(() -> ctx.executor().execute(() -> expire(head)));
    }

    private void stopClock() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        if (pending != null) {
            pending.complete();
            pending = null;
        }
    }

    /** The head is late (or the connection was evicted as the slowest): answer 408 when that is safe, and close. */
    private void expire(int head) {
        if (head != heads || phase != Phase.HEAD || !ctx.channel().isActive()) {
            return;
        }
        stopClock();
        timedOut.increment();
        if (unanswered > 0) {
            ctx.close(); // a response is still being written: a 408 now would land inside it
            return;
        }
        ctx.writeAndFlush(requestTimeout()).addListener(ChannelFutureListener.CLOSE);
    }

    private static FullHttpResponse requestTimeout() {
        byte[] body = ErrorEnvelope.of(ErrorCode.INVALID_REQUEST, "The request head (request line and headers) "
                + "did not arrive in time. Send the whole head at once; the connection is closed.", null)
                .toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
