package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.billing.Settlement;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.upstream.SseEvents;
import dev.tollgate.upstream.UpstreamStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay starts before the HTTP response exists: frames wait for {@link StreamRelay#attach}, which hands them
 * over in order, then passes later frames straight through. End to end (real server, real upstream) it is covered
 * by StreamingIT and BillingFailuresIT in the functions module.
 */
class StreamRelayTest {

    private static final String CLOSED = "closed";
    private final List<Thread> relayThreads = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final FakeUpstream upstream = new FakeUpstream();
    private final CompletableFuture<StreamEnd> settled = new CompletableFuture<>();
    private final AtomicInteger settlements = new AtomicInteger();
    private final AtomicReference<TokenUsage> settledUsage = new AtomicReference<>();

    @AfterEach
    void stop() {
        relayThreads.forEach(Thread::interrupt);
        timer.shutdownNow();
    }

    @Test
    void framesRelayedBeforeAttachReachTheSinkInOrderThenLaterFramesFlowDirectly() throws Exception {
        StreamRelay relay = relay();
        upstream.events.add(chunk("Hello"));
        relay.start();
        upstream.awaitReads(2); // the first event is relayed, the relay waits for the second

        RecordingSink sink = new RecordingSink();
        relay.attach(sink);
        assertThat(sink.frames).as("handed over inside attach").hasSize(1);
        assertThat(sink.frames.getFirst()).contains("\"content\":\"Hello\"").contains("\"model\":\"public-model\"");

        upstream.events.add(chunk(" world"));
        upstream.events.add(SseEvents.DONE);
        assertThat(settled.get(5, TimeUnit.SECONDS)).isEqualTo(StreamEnd.COMPLETED);
        sink.awaitComplete();
        assertThat(sink.frames).hasSize(4);
        assertThat(sink.frames.get(1)).contains("\"content\":\" world\"");
        assertThat(sink.frames.get(2)).contains("\"usage\"").contains("\"completion_tokens\":2");
        assertThat(sink.frames.get(3)).isEqualTo(StreamRelay.DONE);
    }

    @Test
    void aStreamThatEndedBeforeAttachIsHandedOverWholeAndCompleted() throws Exception {
        StreamRelay relay = relay();
        upstream.events.add(chunk("Hi"));
        upstream.events.add(SseEvents.DONE);
        relay.start();
        assertThat(relayThreads.getFirst().join(Duration.ofSeconds(5))).as("relay thread ended").isTrue();
        assertThat(settled).isCompletedWithValue(StreamEnd.COMPLETED);

        RecordingSink sink = new RecordingSink();
        relay.attach(sink);
        assertThat(sink.completed).as("completed inside attach").isTrue();
        assertThat(sink.frames).hasSize(3);
        assertThat(sink.frames.getFirst()).contains("\"content\":\"Hi\"");
        assertThat(sink.frames.getLast()).isEqualTo(StreamRelay.DONE);
        assertThat(settlements).hasValue(1);
    }

    @Test
    void aCancelBeforeAttachStopsTheUpstreamAndSettlesOnceAsADisconnect() throws Exception {
        StreamRelay relay = relay();
        upstream.events.add(chunk("Hello"));
        relay.start();
        upstream.awaitReads(2);

        relay.cancel();
        assertThat(relayThreads.getFirst().join(Duration.ofSeconds(5))).as("relay thread ended").isTrue();
        assertThat(settled).isCompletedWithValue(StreamEnd.CLIENT_DISCONNECTED);
        assertThat(upstream.closed).isTrue();
        RecordingSink sink = new RecordingSink();
        relay.attach(sink);
        assertThat(sink.completed).isTrue();
        assertThat(sink.frames).as("no usage, error or [DONE] frames for a caller that left")
                .noneMatch(frame -> frame.contains("usage") || frame.equals(StreamRelay.DONE));
        assertThat(settlements).hasValue(1);
    }

    @Test
    void aSecondSinkIsRefused() throws Exception {
        StreamRelay relay = relay();
        upstream.events.add(SseEvents.DONE);
        relay.start();
        relay.attach(new RecordingSink());
        assertThatThrownBy(() -> relay.attach(new RecordingSink())).isInstanceOf(IllegalStateException.class);
        assertThat(settled.get(5, TimeUnit.SECONDS)).isEqualTo(StreamEnd.COMPLETED);
    }

    @Test
    void aRelayNobodyAttachesToWithinTheKeepAliveIntervalStopsTheUpstreamAndSettlesAsADisconnect() throws Exception {
        StreamRelay relay = relay(Duration.ofMillis(100));
        upstream.events.add(chunk("Hello"));
        relay.start();

        assertThat(settled.get(5, TimeUnit.SECONDS)).isEqualTo(StreamEnd.CLIENT_DISCONNECTED);
        assertThat(upstream.closed).as("the upstream was stopped").isTrue();
        assertThat(settledUsage.get().completionTokens()).as("what was produced before the stop").isEqualTo(1);
        assertThat(settlements).hasValue(1);
    }

    private StreamRelay relay() {
        return relay(Duration.ofMinutes(1));
    }

    private StreamRelay relay(Duration keepAlive) {
        StreamRelay.Settler settler = (usage, end) -> {
            settlements.incrementAndGet();
            settledUsage.set(usage);
            settled.complete(end);
            return new Settlement(Money.ofMicros(usage.totalTokens()), Money.ZERO, Money.ofMicros(1_000_000), false);
        };
        return new StreamRelay(upstream, new ObjectMapper(), "public-model", "req_test", false, 3,
                text -> text.isBlank() ? 0 : text.strip().split("\\s+").length, settler,
                new StreamSettings(keepAlive, Duration.ofMinutes(5)), Duration.ofMinutes(1),
                task -> relayThreads.add(Thread.ofVirtual().start(task)), timer);
    }

    private static String chunk(String content) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"upstream-model\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}";
    }

    /** Events from a queue; {@code next} blocks like a socket read, and close wakes it like a dropped connection. */
    private static final class FakeUpstream implements UpstreamStream {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean closed;

        @Override
        public String next() throws IOException {
            reads.incrementAndGet();
            try {
                String event = events.take();
                if (event == CLOSED) {
                    throw new IOException("closed");
                }
                return event;
            } catch (InterruptedException e) {
                throw new IOException("interrupted", e);
            }
        }

        @Override
        public void close() {
            closed = true;
            events.add(CLOSED);
        }

        void awaitReads(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (reads.get() < n) {
                assertThat(System.nanoTime()).as("relay reached read %d", n).isLessThan(deadline);
                Thread.sleep(1);
            }
        }
    }

    private static final class RecordingSink implements FrameSink {
        final List<String> frames = new ArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile boolean completed;

        @Override
        public synchronized void send(String frame) {
            frames.add(frame);
        }

        @Override
        public void complete() {
            completed = true;
            done.complete(null);
        }

        void awaitComplete() throws Exception {
            done.get(5, TimeUnit.SECONDS);
        }
    }
}
