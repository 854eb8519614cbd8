package dev.tollgate.functions.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the aggregator hands Micronaut for each way a request's head and body can arrive. The "later read" cases
 * are the ones it exists for; every other shape must come out exactly as it went in.
 */
class SmallBodyAggregatorTest {

    private static final String BODY = "{\"model\":\"m\",\"messages\":[]}";
    private final LongAdder joined = new LongAdder();
    private final EmbeddedChannel channel = new EmbeddedChannel(new SmallBodyAggregator(1024, joined));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aBodyThatArrivesAfterItsHeadInSeveralReadsBecomesOneFullRequest() {
        channel.writeInbound(head(BODY.length()));
        assertThat((Object) channel.readInbound()).as("nothing passed on before the body is complete").isNull();
        channel.writeInbound(new DefaultHttpContent(bytes(BODY.substring(0, 10))));
        channel.writeInbound(new DefaultLastHttpContent(bytes(BODY.substring(10))));

        FullHttpRequest full = channel.readInbound();
        assertThat(full.uri()).isEqualTo("/v1/chat/completions");
        assertThat(full.method()).isEqualTo(HttpMethod.POST);
        assertThat(full.headers().get(HttpHeaderNames.AUTHORIZATION)).isEqualTo("Bearer sk-tg-x");
        assertThat(full.content().toString(StandardCharsets.UTF_8)).isEqualTo(BODY);
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(joined.sum()).isOne();
        full.release();
    }

    @Test
    void bytesOnTheWireSplitBetweenHeadAndBodyComeOutAsOneFullRequestBehindNettysDecoder() {
        EmbeddedChannel wire = new EmbeddedChannel(new HttpRequestDecoder(), new SmallBodyAggregator(1024, joined));
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY.length() + "\r\n\r\n";
        wire.writeInbound(bytes(head));
        wire.writeInbound(bytes(BODY));
        FullHttpRequest full = wire.readInbound();
        assertThat(full.content().toString(StandardCharsets.UTF_8)).isEqualTo(BODY);
        assertThat((Object) wire.readInbound()).isNull();
        full.release();
        wire.finishAndReleaseAll();
    }

    @Test
    void aHeadWithAContentLengthThatIsNoNumberPassesOnForMicronautToRefuse() {
        EmbeddedChannel wire = new EmbeddedChannel(new HttpRequestDecoder(), new SmallBodyAggregator(1024, joined));
        wire.writeInbound(bytes("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 99999999999999999999\r\n\r\n{}"));
        HttpRequest request = wire.readInbound();
        assertThat(request.decoderResult().isFailure()).as("Netty marks it; the aggregator must not throw on it").isTrue();
        assertThat(joined.sum()).isZero();
        wire.finishAndReleaseAll();
    }

    @Test
    void twoPipelinedRequestsComeOutAsTwoFullRequestsInOrder() {
        channel.writeInbound(head(3), new DefaultLastHttpContent(bytes("one")), head(3), new DefaultLastHttpContent(bytes("two")));
        FullHttpRequest first = channel.readInbound();
        FullHttpRequest second = channel.readInbound();
        assertThat(first.content().toString(StandardCharsets.UTF_8)).isEqualTo("one");
        assertThat(second.content().toString(StandardCharsets.UTF_8)).isEqualTo("two");
        first.release();
        second.release();
    }

    @Test
    void aBodyLargerThanTheLimitIsLeftToMicronautsStreaming() {
        HttpRequest head = head(2048);
        channel.writeInbound(head);
        assertThat((Object) channel.readInbound()).isSameAs(head);
        HttpContent content = new DefaultLastHttpContent(bytes("x".repeat(2048)));
        channel.writeInbound(content);
        assertThat((Object) channel.readInbound()).isSameAs(content);
        content.release();
    }

    @Test
    void chunkedCompressedAndExpectContinueRequestsAndRequestsWithoutABodyPassThroughUntouched() {
        HttpRequest chunked = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions");
        chunked.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        HttpRequest expect = head(BODY.length());
        expect.headers().set(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE);
        HttpRequest gzip = head(BODY.length());
        gzip.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        HttpRequest get = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/models");
        for (HttpRequest request : new HttpRequest[] {chunked, expect, gzip, get}) {
            channel.writeInbound(request);
            assertThat((Object) channel.readInbound()).isSameAs(request);
        }
        assertThat(joined.sum()).as("none of them was joined").isZero();
    }

    @Test
    void aConnectionThatClosesMidBodyReleasesWhatWasJoined() {
        RecordingAllocator allocator = new RecordingAllocator();
        channel.config().setAllocator(allocator);
        channel.writeInbound(head(BODY.length()));
        ByteBuf part = bytes(BODY.substring(0, 5));
        channel.writeInbound(new DefaultHttpContent(part));
        assertThat(part.refCnt()).as("the joined content was copied and released").isZero();
        assertThat(allocator.made).hasSize(1);
        assertThat(allocator.made.getFirst().refCnt()).as("the body buffer is held while the body is incomplete").isOne();

        channel.close();
        assertThat((Object) channel.readInbound()).as("no half request is passed on").isNull();
        assertThat(allocator.made.getFirst().refCnt()).as("the body buffer was released with the connection").isZero();
    }

    /** Remembers the buffers it hands out, so a test can see that they were released. */
    private static final class RecordingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> made = new ArrayList<>();

        RecordingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buffer = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            made.add(buffer);
            return buffer;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    @Test
    void aDecodingFailureInTheLastContentIsCarriedToTheJoinedRequest() {
        channel.writeInbound(head(BODY.length()));
        LastHttpContent last = new DefaultLastHttpContent(bytes(BODY));
        last.setDecoderResult(DecoderResult.failure(new IllegalStateException("bad chunk")));
        channel.writeInbound(last);
        FullHttpRequest full = channel.readInbound();
        assertThat(full.decoderResult().isFailure()).isTrue();
        full.release();
    }

    @Test
    void aLastContentWithTrailersKeepsThem() {
        channel.writeInbound(head(BODY.length()));
        LastHttpContent last = new DefaultLastHttpContent(bytes(BODY));
        last.trailingHeaders().set("x-trailer", "yes");
        channel.writeInbound(last);
        FullHttpRequest full = channel.readInbound();
        assertThat(full.trailingHeaders().get("x-trailer")).isEqualTo("yes");
        full.release();
    }

    private static HttpRequest head(int length) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions");
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        head.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer sk-tg-x");
        return head;
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
