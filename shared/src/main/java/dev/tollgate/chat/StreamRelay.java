package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.Settlement;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.upstream.SseEvents;
import dev.tollgate.upstream.UpstreamStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one upstream stream to the caller chunk by chunk as it arrives, enforces its output bound and deadline,
 * records its progress for the reconciler, and settles it exactly once.
 *
 * <p>Each chunk gets the public model id; the upstream's usage is held back and sent, with its cost, in the final
 * chunk after settlement: as OpenAI's separate {@code choices: []} chunk when the caller asked for
 * {@code stream_options.include_usage}, otherwise inside the chunk that carries {@code finish_reason} (so callers
 * that read {@code choices[0]} of every chunk keep working). A timer sends {@code : keep-alive} comments while the
 * upstream is silent, cuts an upstream that stays silent past its idle timeout, and ends the stream at its
 * deadline even when the upstream sends nothing. When the caller disconnects, {@link #cancel()} closes the
 * upstream connection so the upstream stops generating.
 */
public final class StreamRelay {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRelay.class);
    static final String KEEP_ALIVE = ": keep-alive\n\n";
    static final String DONE = "data: [DONE]\n\n";
    private static final String SHUTDOWN_MESSAGE = "Tollgate is restarting and ended this stream; what was delivered "
            + "is charged. Retry the request.";

    /** Counting, settling and progress of the stream's usage, at the served model's tokenizer and prices. */
    public interface Metering {
        /**
         * The tokens of {@code text}: never more than its UTF-8 bytes (the tokenizers are byte-level pair encodings),
         * which the output bound relies on to leave a text uncounted while its bytes cannot reach the bound.
         */
        int count(String text);

        /** The longest prefix of {@code text} of at most {@code maxTokens} tokens. */
        String truncate(String text, int maxTokens);

        /** Settles the stream; called once, from the thread that ends it. */
        Settlement settle(TokenUsage usage, StreamEnd end);

        /** Records what was delivered so far where the reconciler finds it, should the process die. */
        void recordProgress(TokenUsage soFar);
    }

    /**
     * @param promptEstimate the prompt as Tollgate counted it, charged when the upstream reports no usage
     * @param outputBound    the most completion tokens the stream may deliver (the hold's bound, all choices)
     * @param promptCap      the most prompt tokens an upstream's usage is believed for (the model's context)
     */
    public record Job(String publicModel, String requestId, boolean usageChunk, long promptEstimate, long outputBound,
                      long promptCap) {
    }

    /**
     * @param deadlineNanos  {@link System#nanoTime()} at which the stream is ended, counted from the request's
     *                       arrival (and on Lambda from the invocation's deadline) so that it settles in time
     * @param progressEvery  how often delivered tokens are recorded for the reconciler while the stream runs
     */
    public record Timing(Duration keepAlive, Duration idleTimeout, Duration progressEvery, long deadlineNanos) {
    }

    private final UpstreamStream upstream;
    private final ObjectMapper json;
    private final Job job;
    private final Metering meter;
    private final Timing timing;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final Consumer<StreamRelay> onEnd;
    private final OutputBudget budget;
    private final StreamFrames frames;
    private final RelayProgress progress;

    private final Object readerLock = new Object();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile StreamEnd timerEnd;
    private volatile long lastUpstreamNanos;
    private volatile Thread reader;
    private ScheduledFuture<?> tick;
    private TokenUsage upstreamUsage;

    /** @param onEnd called once the stream has settled and its response is complete, however it ended */
    public StreamRelay(UpstreamStream upstream, ObjectMapper json, Job job, Metering meter, Timing timing,
                       Executor executor, ScheduledExecutorService timer, Consumer<StreamRelay> onEnd) {
        this.upstream = upstream;
        this.json = json;
        this.job = job;
        this.meter = meter;
        this.timing = timing;
        this.executor = executor;
        this.timer = timer;
        this.onEnd = onEnd;
        this.budget = new OutputBudget(job.outputBound(), meter);
        this.frames = new StreamFrames(job);
        this.progress = new RelayProgress(job, meter, timing.progressEvery(), executor);
    }

    /** Starts relaying into {@code sink} on the relay executor. Call once. */
    public void start(FrameSink sink) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a stream relay starts once");
        }
        frames.attach(sink); // a stream ended before this (shutdown) writes its ending here
        if (finished.get()) {
            return;
        }
        long now = System.nanoTime();
        lastUpstreamNanos = now;
        long period = Math.max(10, Math.min(timing.keepAlive().toMillis() / 5, timing.progressEvery().toMillis()));
        tick = timer.scheduleWithFixedDelay(this::onTick, period, period, TimeUnit.MILLISECONDS);
        executor.execute(this::run);
    }

    /** The caller went away: stop the upstream and settle what was produced. Safe from any thread. */
    public void cancel() {
        cancelled = true;
        interruptUpstream();
        if (!started.get()) {
            finish(StreamEnd.CLIENT_DISCONNECTED, null); // never subscribed: settle here, nobody else will
        }
    }

    /** The server is stopping: end the stream now by the stream policy (usage, error event, {@code [DONE]}). */
    public void endForShutdown() {
        timerEnd = StreamEnd.SHUTDOWN;
        interruptUpstream();
        if (!started.get()) {
            finish(StreamEnd.SHUTDOWN, SHUTDOWN_MESSAGE);
        }
    }

    private void run() {
        synchronized (readerLock) {
            reader = Thread.currentThread();
        }
        upstream.beforeWaiting(frames::flush); // nothing held waits for the upstream's next event
        try {
            while (!cancelled && timerEnd == null) {
                String data = upstream.next();
                lastUpstreamNanos = System.nanoTime();
                if (data == SseEvents.DONE) {
                    finish(StreamEnd.COMPLETED, null);
                    return;
                }
                if (data == null) {
                    finish(StreamEnd.UPSTREAM_FAILED, "The upstream closed the stream before it was complete.");
                    return;
                }
                StreamEnd end = relay(data);
                if (end != null) {
                    return;
                }
                progress.recordIfDue(false);
                if (!upstream.hasBuffered()) {
                    frames.flush(); // a burst from the upstream goes out as one write, a paced stream frame by frame
                }
            }
            endAfterFailure(null);
        } catch (IOException | RuntimeException e) {
            endAfterFailure(e);
        }
    }

    private void endAfterFailure(Exception e) {
        StreamEnd byTimer = timerEnd;
        if (cancelled) {
            finish(StreamEnd.CLIENT_DISCONNECTED, null);
        } else if (byTimer == StreamEnd.UPSTREAM_IDLE) {
            finish(byTimer, "The upstream sent nothing for " + timing.idleTimeout().toSeconds()
                    + " s and the stream was ended. Retry the request.");
        } else if (byTimer == StreamEnd.TOO_LONG) {
            finish(byTimer, "The stream reached Tollgate's time limit for one request and was ended. "
                    + "Ask for less output (max_tokens) or split the work into several requests.");
        } else if (byTimer == StreamEnd.SHUTDOWN) {
            finish(byTimer, SHUTDOWN_MESSAGE);
        } else {
            LOG.info("request {}: upstream stream broke: {}", job.requestId(), String.valueOf(e));
            finish(StreamEnd.UPSTREAM_FAILED, "The upstream connection broke mid-stream. Retry the request.");
        }
    }

    /** Relays one upstream event; returns how the stream ended if this event ended it. */
    private StreamEnd relay(String data) {
        JsonNode node;
        try {
            node = json.readTree(data);
        } catch (IOException e) {
            node = null;
        }
        String problem = node == null ? "an event that is not JSON" : ChunkShape.chunkProblem(node);
        if (problem != null) {
            LOG.warn("request {}: the upstream sent {} mid-stream; ending the stream", job.requestId(), problem);
            finish(StreamEnd.UPSTREAM_FAILED, "The upstream sent " + problem + " and the stream was ended. Retry the request.");
            return StreamEnd.UPSTREAM_FAILED;
        }
        ObjectNode chunk = (ObjectNode) node;
        if (chunk.has("error")) {
            String message = chunk.path("error").path("message").asText("unknown error");
            finish(StreamEnd.UPSTREAM_FAILED, "The upstream failed mid-stream: " + message);
            return StreamEnd.UPSTREAM_FAILED;
        }
        // A usage object without completion tokens (some servers send prompt-only usage early) is not the usage.
        TokenUsage usage = chunk.path("usage").has("completion_tokens") ? TokenUsage.fromOpenAi(chunk.get("usage")) : null;
        if (usage != null) {
            upstreamUsage = usage;
        }
        chunk.remove("usage");
        JsonNode choices = chunk.get("choices");
        if (usage != null && (choices == null || choices.isEmpty())) {
            frames.remember(chunk);
            return null; // the usage-only chunk: re-sent with its cost once settled
        }
        boolean reached = false;
        for (JsonNode choice : chunk.path("choices")) {
            reached = budget.take(choice.path("delta"));
            frames.sawChoice(choice);
            progress.append(choice.path("delta"));
        }
        chunk.put("model", job.publicModel());
        frames.relay(chunk);
        if (reached) {
            finish(StreamEnd.OUTPUT_BOUND, null);
            return StreamEnd.OUTPUT_BOUND;
        }
        return null;
    }

    private void finish(StreamEnd end, String errorMessage) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        synchronized (readerLock) {
            reader = null;
        }
        // The relay thread may have been interrupted to unblock its upstream read; a pending interrupt
        // would abort the settlement's DynamoDB call, so it is cleared once nobody can interrupt again.
        Thread.interrupted();
        if (tick != null) {
            tick.cancel(false);
        }
        if (end != StreamEnd.COMPLETED) {
            upstream.close();   // before settling: the upstream stops generating at once
        }
        try {
            TokenUsage usage = usageFor(end);
            Settlement settlement = null;
            try {
                settlement = meter.settle(usage, end);
            } catch (RuntimeException e) {
                LOG.error("request {}: settlement failed; the reconciler charges it from its recorded progress",
                        job.requestId(), e);
            }
            frames.end(end, usage, settlement, errorMessage);
        } finally {
            if (end == StreamEnd.COMPLETED) {
                upstream.release();  // after the caller has everything: keeping the connection may wait for its end
            }
            onEnd.accept(this);
        }
    }

    /**
     * The usage to charge for each way a stream can end. A stream that completed is charged the upstream's own
     * usage when it sent one (its completion tokens capped at the output bound). Any other end is charged at least
     * what was relayed (counted by the tokenizer), since an upstream's usage seen before the end may be partial;
     * a stream that failed before its first token is free.
     */
    private TokenUsage usageFor(StreamEnd end) {
        long bound = job.outputBound();
        if (end == StreamEnd.COMPLETED && upstreamUsage != null) {
            return upstreamUsage.atMost(job.promptCap(), bound);
        }
        boolean nothingDelivered = !frames.delivered() && progress.text().isEmpty();
        if (nothingDelivered && end != StreamEnd.COMPLETED && end != StreamEnd.CLIENT_DISCONNECTED) {
            return TokenUsage.NONE;
        }
        long relayed = progress.completionTokens();
        if (upstreamUsage == null) {
            return new TokenUsage(job.promptEstimate(), relayed, 0, 0, true);
        }
        return new TokenUsage(upstreamUsage.promptTokens(), Math.max(upstreamUsage.completionTokens(), relayed),
                upstreamUsage.reasoningTokens(), upstreamUsage.cachedTokens(), false, upstreamUsage.cacheWriteTokens())
                .atMost(job.promptCap(), bound);
    }

    private void onTick() {
        try {
            if (finished.get()) {
                return;
            }
            long now = System.nanoTime();
            if (now - timing.deadlineNanos() >= 0) {
                timerEnd = StreamEnd.TOO_LONG;
                interruptUpstream();
                return;
            }
            if (now - lastUpstreamNanos >= timing.idleTimeout().toNanos()) {
                timerEnd = StreamEnd.UPSTREAM_IDLE;
                interruptUpstream();
                return;
            }
            frames.keepAliveIfQuiet(timing.keepAlive());
            progress.recordIfDue(true);
        } catch (RuntimeException e) {
            // An exception would cancel this periodic task, and with it the stream's deadline and idle cut.
            LOG.warn("request {}: stream timer: {}", job.requestId(), e.toString());
        }
    }

    /** Closes the upstream connection and wakes the relay thread if it is blocked reading it. */
    private void interruptUpstream() {
        upstream.close();
        synchronized (readerLock) {
            if (reader != null) {
                reader.interrupt();
            }
        }
    }
}
