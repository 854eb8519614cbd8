package dev.tollgate.functions.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The head deadline on Netty's own codec, with Netty's frozen clock: what is late gets a 408 and a closed
 * connection, and nothing else is touched (a complete head, the time between requests, a body).
 */
class HeadDeadlineHandlerTest {

    private static final long DEADLINE_MS = 1_000;
    private static final String GET = "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n";

    private final LongAdder timedOut = new LongAdder();
    private final PendingHeads pendingHeads = new PendingHeads(100);
    private EmbeddedChannel channel;

    @BeforeEach
    void connect() {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        HeadDeadlineHandler handler = new HeadDeadlineHandler(TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS), pendingHeads,
                timedOut);
        channel.pipeline().addLast("bytes", handler.bytesWatcher());
        channel.pipeline().addLast("codec", new HttpServerCodec());
        channel.pipeline().addLast("deadline", handler);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aConnectionThatSendsNoHeadGets408InTheErrorEnvelopeAndIsClosedAtTheDeadline() {
        assertThat(pendingHeads.pending()).isOne();
        advance(DEADLINE_MS - 1);
        assertThat(channel.isActive()).as("open until the deadline").isTrue();
        advance(1);
        String response = written();
        assertThat(response).startsWith("HTTP/1.1 408 Request Timeout").containsIgnoringCase("connection: close")
                .contains("\"error\":{\"message\":\"The request head").contains("\"type\":\"invalid_request_error\"")
                .contains("\"param\":null");
        assertThat(channel.isActive()).isFalse();
        assertThat(timedOut.sum()).isOne();
        assertThat(pendingHeads.pending()).isZero();
    }

    @Test
    void aHeadDrippedByteByByteIsCutAtTheDeadlineCountedFromItsStartNotFromTheLastByte() {
        String partial = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        for (int i = 0; i < partial.length() && channel.isActive(); i++) {
            channel.writeInbound(bytes(partial.substring(i, i + 1)));
            advance(DEADLINE_MS / 20);
        }
        assertThat(written()).startsWith("HTTP/1.1 408");
        assertThat(channel.isActive()).isFalse();
        assertThat((Object) channel.readInbound()).as("no request reached the application").isNull();
    }

    @Test
    void aCompleteHeadStopsTheClockAndTimeBetweenRequestsIsNotCounted() {
        advance(DEADLINE_MS / 2);
        channel.writeInbound(bytes(GET));
        HttpRequest request = channel.readInbound();
        assertThat(request.uri()).isEqualTo("/v1/models");
        releaseInbound();
        answer(HttpResponseStatus.OK);
        assertThat(written()).startsWith("HTTP/1.1 200");

        advance(DEADLINE_MS * 10);
        assertThat(channel.isActive()).as("an idle kept-alive connection is Micronaut's idle-timeout's business").isTrue();
        assertThat(pendingHeads.pending()).isZero();

        channel.writeInbound(bytes("GET /v1/mo"));
        assertThat(pendingHeads.pending()).as("the next head started").isOne();
        advance(DEADLINE_MS);
        assertThat(written()).startsWith("HTTP/1.1 408");
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aSlowBodyIsNotUnderTheHeadDeadline() {
        channel.writeInbound(bytes("POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n{"));
        advance(DEADLINE_MS * 3);
        channel.writeInbound(bytes("}  "));
        assertThat(channel.isActive()).isTrue();
        assertThat(written()).isEmpty();
        assertThat(timedOut.sum()).isZero();
    }

    @Test
    void aLateHeadPipelinedBehindAnUnfinishedResponseClosesTheConnectionWithoutA408InsideThatResponse() {
        channel.writeInbound(bytes(GET));
        releaseInbound();
        channel.writeInbound(bytes("GET /v1/mod"));
        advance(DEADLINE_MS);
        assertThat(written()).as("no 408 written while the first request is unanswered").isEmpty();
        assertThat(channel.isActive()).isFalse();
        assertThat(timedOut.sum()).isOne();
    }

    @Test
    void aHeadNettyCannotDecodeIsAnsweredWithConnectionCloseAndTheConnectionIsClosed() {
        channel.writeInbound(bytes("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 99999999999999999999\r\n\r\n{}"));
        HttpRequest request = channel.readInbound();
        assertThat(request.decoderResult().isFailure()).isTrue();
        releaseInbound();
        answer(HttpResponseStatus.BAD_REQUEST);
        assertThat(written()).startsWith("HTTP/1.1 400").containsIgnoringCase("connection: close");
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aRequestRefusedBeforeItsBodyArrivedHasItsConnectionClosedAfterTheAnswer() {
        channel.writeInbound(bytes("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 17000000\r\n\r\n{"));
        releaseInbound();
        answer(HttpResponseStatus.BAD_REQUEST);
        assertThat(written()).startsWith("HTTP/1.1 400").containsIgnoringCase("connection: close");
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aContinueBeforeTheAnswerDoesNotCountAsTheAnswer() {
        channel.writeInbound(bytes("POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                + "Content-Length: 2\r\n\r\n"));
        releaseInbound();
        answer(HttpResponseStatus.CONTINUE);
        channel.writeInbound(bytes("{}"));
        releaseInbound();
        channel.writeInbound(bytes("GET /v1/mo"));
        advance(DEADLINE_MS);
        assertThat(written()).as("the pipelined head expired while the real answer was still due: no 408")
                .startsWith("HTTP/1.1 100").doesNotContain("408");
        assertThat(channel.isActive()).isFalse();
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    private void answer(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        channel.writeOutbound(response);
        channel.runPendingTasks();
    }

    private void releaseInbound() {
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            ReferenceCountUtil.release(message);
        }
    }

    private String written() {
        StringBuilder text = new StringBuilder();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            text.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return text.toString();
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
