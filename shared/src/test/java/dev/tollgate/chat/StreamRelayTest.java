package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.billing.Settlement;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.upstream.SseEvents;
import dev.tollgate.upstream.UpstreamStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relay's endings in memory: an upstream of canned events, a sink that records frames, a meter that records settlements. */
class StreamRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * One counter, its encoding loaded before any test: loading o200k_base took longer than a test's 5 s deadline on
     * a loaded build machine, which failed whichever test ran first although the relay was right.
     */
    private static final TokenCounter TOKENS = new TokenCounter();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<TokenUsage> settled = new CopyOnWriteArrayList<>();
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final CountDownLatch completed = new CountDownLatch(1);

    @BeforeAll
    static void loadTheEncoding() {
        TOKENS.count("o200k_base", "warm");
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void aStreamEndedForShutdownBeforeTheCallerSubscribedStillEndsItsResponse() throws Exception {
        StreamRelay relay = relay(new Canned(List.of()), false, 100);

        relay.endForShutdown();
        relay.start(sink());

        assertThat(completed.await(5, TimeUnit.SECONDS)).as("the response completes").isTrue();
        assertThat(frames.getLast()).isEqualTo(StreamRelay.DONE);
        assertThat(frames).anySatisfy(f -> assertThat(f).contains("service_unavailable", "restarting"));
        assertThat(settled).singleElement().isEqualTo(TokenUsage.NONE);
    }

    @Test
    void aChunkThatReachesTheBoundAndFinishesGetsNoSecondFinish() throws Exception {
        String finishing = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"one two three\"},\"finish_reason\":\"stop\"}]}";
        StreamRelay relay = relay(new Canned(List.of(finishing)), true, 3);

        relay.start(sink());

        assertThat(completed.await(5, TimeUnit.SECONDS)).isTrue();
        long finishes = frames.stream().filter(f -> f.contains("finish_reason\":\"")).count();
        assertThat(finishes).as(String.join("", frames)).isEqualTo(1);
        assertThat(frames.getLast()).isEqualTo(StreamRelay.DONE);
        assertThat(settled).singleElement().satisfies(u -> assertThat(u.completionTokens()).isEqualTo(3));
    }

    @Test
    void aCallerWithoutIncludeUsageNeverSeesAChunkWithoutChoices() throws Exception {
        String piece = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}";
        StreamRelay relay = relay(new Canned(List.of(piece)), false, 100); // then the upstream closes: no [DONE]

        relay.start(sink());

        assertThat(completed.await(5, TimeUnit.SECONDS)).isTrue();
        frames.stream().filter(f -> f.startsWith("data: {") && !f.contains("\"error\""))
                .forEach(f -> assertThat(f).doesNotContain("\"choices\":[]"));
        assertThat(frames.get(frames.size() - 2)).contains("gateway_error");
    }

    @Test
    void framesOfABurstAreWrittenTogetherAndFlushedWheneverTheUpstreamWouldBeWaitedFor() throws Exception {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pieces.add("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i + " \"},\"finish_reason\":null}]}");
        }
        // The upstream's first two events arrive together, then a pause, then the other three and [DONE] together.
        StreamRelay relay = relay(new Scripted(pieces, java.util.Set.of(1)), true, 100);
        List<Integer> flushedAt = new CopyOnWriteArrayList<>();

        relay.start(recordingFlushes(flushedAt));

        assertThat(completed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(flushedAt).as("one flush, at the pause after the second frame; the rest goes with complete()")
                .containsExactly(2);
        assertThat(frames.getLast()).isEqualTo(StreamRelay.DONE);
        assertThat(frames).hasSize(5 + 2); // five deltas, the usage chunk, [DONE]
    }

    @Test
    void framesHeldForABurstGoOutBeforeTheRelayWaitsForTheNetworkEvenWhenTheUpstreamLookedReady() throws Exception {
        List<String> pieces = List.of(
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"},\"finish_reason\":null}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"c\"},\"finish_reason\":\"stop\"}]}");
        // Always "buffered" (a comment or half an event was read), but the third event must be waited for.
        LooksReady upstream = new LooksReady(pieces, 2);
        StreamRelay relay = relay(upstream, true, 100);
        List<Integer> flushedAt = new CopyOnWriteArrayList<>();

        relay.start(recordingFlushes(flushedAt));

        assertThat(completed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(flushedAt).as("the first two frames went out when the relay was about to wait").contains(2);
    }

    /** A sink that records frames, and in {@code flushedAt} how many frames had been sent at each flush. */
    private FrameSink recordingFlushes(List<Integer> flushedAt) {
        return new FrameSink() {
            @Override
            public void send(String frame) {
                frames.add(frame);
            }

            @Override
            public void flush() {
                flushedAt.add(frames.size());
            }

            @Override
            public void complete() {
                completed.countDown();
            }
        };
    }

    private FrameSink sink() {
        return new FrameSink() {
            @Override
            public void send(String frame) {
                frames.add(frame);
            }

            @Override
            public void complete() {
                completed.countDown();
            }
        };
    }

    private StreamRelay relay(UpstreamStream upstream, boolean usageChunk, long bound) {
        TokenCounter tokens = TOKENS;
        StreamRelay.Metering meter = new StreamRelay.Metering() {
            @Override
            public int count(String text) {
                return tokens.count("o200k_base", text);
            }

            @Override
            public String truncate(String text, int maxTokens) {
                return tokens.truncate("o200k_base", text, maxTokens);
            }

            @Override
            public Settlement settle(TokenUsage usage, StreamEnd end) {
                settled.add(usage);
                return new Settlement(Money.ZERO, Money.ZERO, Money.ZERO, false);
            }

            @Override
            public void recordProgress(TokenUsage soFar) {
            }
        };
        StreamRelay.Job job = new StreamRelay.Job("m", "req_1", usageChunk, 5, bound, 1_000);
        StreamRelay.Timing timing = new StreamRelay.Timing(Duration.ofSeconds(15), Duration.ofSeconds(30),
                Duration.ofSeconds(1), System.nanoTime() + Duration.ofMinutes(1).toNanos());
        return new StreamRelay(upstream, JSON, job, meter, timing, Executors.newVirtualThreadPerTaskExecutor(), timer,
                r -> { });
    }

    /** An upstream that sends these events, then ends without [DONE] (or never, when empty, until closed). */
    private static final class Canned implements UpstreamStream {
        private final Iterator<String> events;
        private final CountDownLatch closed = new CountDownLatch(1);

        Canned(List<String> events) {
            this.events = new ArrayList<>(events).iterator();
        }

        @Override
        public String next() throws java.io.IOException {
            if (events.hasNext()) {
                return events.next();
            }
            try {
                closed.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new java.io.IOException("closed");
            }
            return null;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    /** An upstream that always looks buffered, and waits for the network (runs the relay's hook) before one event. */
    private static final class LooksReady implements UpstreamStream {
        private final List<String> events;
        private final int waitBefore;
        private Runnable waiting = () -> { };
        private int next;

        LooksReady(List<String> events, int waitBefore) {
            this.events = events;
            this.waitBefore = waitBefore;
        }

        @Override
        public String next() {
            if (next == waitBefore) {
                waiting.run();
            }
            return next < events.size() ? events.get(next++) : SseEvents.DONE;
        }

        @Override
        public boolean hasBuffered() {
            return true;
        }

        @Override
        public void beforeWaiting(Runnable flush) {
            waiting = flush;
        }

        @Override
        public void close() {
        }
    }

    /** An upstream whose events arrive in bursts: {@code pauseAfter} are the indexes after which it must be waited for. */
    private static final class Scripted implements UpstreamStream {
        private final List<String> events;
        private final java.util.Set<Integer> pauseAfter;
        private int next;

        Scripted(List<String> events, java.util.Set<Integer> pauseAfter) {
            this.events = events;
            this.pauseAfter = pauseAfter;
        }

        @Override
        public String next() {
            return next < events.size() ? events.get(next++) : SseEvents.DONE;
        }

        @Override
        public boolean hasBuffered() {
            return !pauseAfter.contains(next - 1);
        }

        @Override
        public void close() {
        }
    }
}
