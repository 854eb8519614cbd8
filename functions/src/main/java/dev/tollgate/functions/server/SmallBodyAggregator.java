package dev.tollgate.functions.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.atomic.LongAdder;

/**
 * Joins a small request body that arrives after its headers, in a later read, into one {@link FullHttpRequest}.
 *
 * <p>Why: Micronaut's Netty handler takes its fast path (a buffered body, bound at once) only when the whole
 * request is in the same read as its headers; a body in the next packet switches the request to a streamed
 * body, whose binding costs about 0.2 ms more before the controller runs (measured, docs/PERFORMANCE.md).
 * Many clients send exactly that: httpx, under the OpenAI Python SDK, writes headers and body separately.
 *
 * <p>Only bodies announced by a {@code Content-Length} of at most {@link #maxBytes} are joined; chunked, larger,
 * compressed ({@code Content-Encoding}) and {@code Expect: 100-continue} requests pass through untouched, so
 * Micronaut's own size limit, decompression and streaming apply to them as before. Joined bodies still pass
 * Micronaut's size check (it is applied to full requests too).
 */
final class SmallBodyAggregator extends ChannelInboundHandlerAdapter {

    private final int maxBytes;
    private final LongAdder joined;
    private HttpRequest head;
    private ByteBuf body;

    SmallBodyAggregator(int maxBytes, LongAdder joined) {
        this.maxBytes = maxBytes;
        this.joined = joined;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (head == null) {
            if (msg instanceof HttpRequest request && !(msg instanceof FullHttpRequest) && joinable(request)) {
                head = request;
                body = ctx.alloc().buffer((int) HttpUtil.getContentLength(request, 0L));
                return;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        if (!(msg instanceof HttpContent content)) {
            ctx.fireChannelRead(msg); // not expected between a request's head and its last content
            return;
        }
        try {
            body.writeBytes(content.content());
            if (content instanceof LastHttpContent last) {
                FullHttpRequest full = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                        body, head.headers(), last.trailingHeaders());
                full.setDecoderResult(last.decoderResult().isFailure() ? last.decoderResult() : head.decoderResult());
                head = null;
                body = null;
                joined.increment();
                ctx.fireChannelRead(full);
            }
        } finally {
            content.release();
        }
    }

    private boolean joinable(HttpRequest request) {
        // A head Netty could not decode (e.g. Content-Length: 99999999999999999999) goes on to Micronaut, which
        // answers it with a 400; reading its Content-Length here would throw and leave the client unanswered.
        if (request.decoderResult().isFailure()) {
            return false;
        }
        long length;
        try {
            length = HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            return false;
        }
        return length > 0 && length <= maxBytes
                && !HttpUtil.isTransferEncodingChunked(request)
                && !request.headers().contains(HttpHeaderNames.EXPECT)
                && !request.headers().contains(HttpHeaderNames.CONTENT_ENCODING);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (body != null) {
            body.release();
            body = null;
        }
        head = null;
    }
}
