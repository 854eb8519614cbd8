package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.Settlement;
import dev.tollgate.error.ErrorCode;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one upstream stream to the caller chunk by chunk as it arrives, and settles it exactly once.
 *
 * <p>Each chunk gets the public model id; the upstream's usage is held back and sent, with its cost,
 * in the final chunk after settlement: as OpenAI's separate {@code choices: []} chunk when the caller
 * asked for {@code stream_options.include_usage}, otherwise inside the chunk that carries
 * {@code finish_reason} (so callers that read {@code choices[0]} of every chunk keep working). A timer sends {@code : keep-alive} comments while the upstream
 * is silent and cuts an upstream that stays silent past its idle timeout. When the caller disconnects,
 * {@link #cancel()} closes the upstream connection so the upstream stops generating.
 */
public final class StreamRelay {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRelay.class);
    static final String KEEP_ALIVE = ": keep-alive\n\n";
    static final String DONE = "data: [DONE]\n\n";

    /** Settles the stream's usage; called once, from the relay thread. */
    @FunctionalInterface
    public interface Settler {
        Settlement settle(TokenUsage usage, StreamEnd end);
    }

    /** Counts tokens of generated text (the model's tokenizer). */
    @FunctionalInterface
    public interface Counter {
        int count(String text);
    }

    private final UpstreamStream upstream;
    private final ObjectMapper json;
    private final String publicModel;
    private final String requestId;
    private final boolean usageChunk;
    private final long promptEstimate;
    private final Counter counter;
    private final Settler settler;
    private final StreamSettings settings;
    private final Duration idleTimeout;
    private final Executor executor;
    private final ScheduledExecutorService timer;

    private final Object sendLock = new Object();
    private final Object readerLock = new Object();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final StringBuilder generated = new StringBuilder();
    private volatile boolean cancelled;
    private volatile StreamEnd timerEnd;
    private volatile long lastSentNanos;
    private volatile long lastUpstreamNanos;
    private volatile Thread reader;
    private FrameSink sink;
    private ScheduledFuture<?> tick;
    private TokenUsage upstreamUsage;
    private ObjectNode lastChunk;
    private ObjectNode finishChunk;
    private boolean delivered;

    public StreamRelay(UpstreamStream upstream, ObjectMapper json, String publicModel, String requestId,
                       boolean usageChunk, long promptEstimate, Counter counter, Settler settler, StreamSettings settings,
                       Duration idleTimeout, Executor executor, ScheduledExecutorService timer) {
        this.upstream = upstream;
        this.json = json;
        this.publicModel = publicModel;
        this.requestId = requestId;
        this.usageChunk = usageChunk;
        this.promptEstimate = promptEstimate;
        this.counter = counter;
        this.settler = settler;
        this.settings = settings;
        this.idleTimeout = idleTimeout;
        this.executor = executor;
        this.timer = timer;
    }

    /** Starts relaying into {@code sink} on the relay executor. Call once. */
    public void start(FrameSink sink) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a stream relay starts once");
        }
        this.sink = sink;
        long now = System.nanoTime();
        lastSentNanos = now;
        lastUpstreamNanos = now;
        long period = Math.max(10, settings.keepAlive().toMillis() / 5);
        tick = timer.scheduleWithFixedDelay(this::onTick, period, period, TimeUnit.MILLISECONDS);
        executor.execute(this::run);
    }

    /** The caller went away: stop the upstream and settle what was produced. Safe from any thread. */
    public void cancel() {
        cancelled = true;
        interruptUpstream();
        if (!started.get()) {
            // Never subscribed: settle here, nobody else will.
            finish(StreamEnd.CLIENT_DISCONNECTED, null);
        }
    }

    private void run() {
        synchronized (readerLock) {
            reader = Thread.currentThread();
        }
        long startNanos = System.nanoTime();
        try {
            while (!cancelled) {
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
                String failure = relay(data);
                if (failure != null) {
                    finish(StreamEnd.UPSTREAM_FAILED, failure);
                    return;
                }
                if (System.nanoTime() - startNanos > settings.maxDuration().toNanos()) {
                    finish(StreamEnd.TOO_LONG, "The stream reached Tollgate's maximum duration of "
                            + settings.maxDuration().toMinutes() + " minutes and was ended.");
                    return;
                }
            }
            finish(StreamEnd.CLIENT_DISCONNECTED, null);
        } catch (IOException | RuntimeException e) {
            endAfterFailure(e);
        }
    }

    private void endAfterFailure(Exception e) {
        if (cancelled) {
            finish(StreamEnd.CLIENT_DISCONNECTED, null);
        } else if (timerEnd == StreamEnd.UPSTREAM_IDLE) {
            finish(StreamEnd.UPSTREAM_IDLE, "The upstream sent nothing for " + idleTimeout.toSeconds()
                    + " s and the stream was ended. Retry the request.");
        } else {
            LOG.info("request {}: upstream stream broke: {}", requestId, e.toString());
            finish(StreamEnd.UPSTREAM_FAILED, "The upstream connection broke mid-stream. Retry the request.");
        }
    }

    /** Relays one upstream event; returns an error message if the upstream reported a failure. */
    private String relay(String data) {
        JsonNode node;
        try {
            node = json.readTree(data);
        } catch (IOException e) {
            LOG.warn("request {}: skipped a malformed upstream SSE event", requestId);
            return null;
        }
        if (!(node instanceof ObjectNode chunk)) {
            return null;
        }
        if (chunk.has("error")) {
            String message = chunk.path("error").path("message").asText("unknown error");
            return "The upstream failed mid-stream: " + message;
        }
        TokenUsage usage = TokenUsage.fromOpenAi(chunk.get("usage"));
        if (usage != null) {
            upstreamUsage = usage;
            chunk.remove("usage");
        }
        lastChunk = chunk;
        JsonNode choices = chunk.get("choices");
        if (usage != null && (choices == null || choices.isEmpty())) {
            return null; // the usage-only chunk: re-sent with its cost once settled
        }
        boolean finishing = false;
        for (JsonNode choice : chunk.path("choices")) {
            ChatWire.appendGenerated(generated, choice.path("delta"));
            finishing |= choice.hasNonNull("finish_reason");
        }
        chunk.put("model", publicModel);
        if (finishing && !usageChunk && finishChunk == null) {
            finishChunk = chunk; // sent at the end, carrying the usage
            return null;
        }
        send("data: " + chunk + "\n\n");
        delivered = true;
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
                settlement = settler.settle(usage, end);
            } catch (RuntimeException e) {
                LOG.error("request {}: settlement failed; the hold stays until the reconciler releases it", requestId, e);
            }
            if (end != StreamEnd.CLIENT_DISCONNECTED && sink != null) {
                if (finishChunk != null) {
                    ChatWire.putUsage(finishChunk, usage, settlement, requestId);
                    send("data: " + finishChunk + "\n\n");
                } else if (end == StreamEnd.COMPLETED || delivered) {
                    ObjectNode last = ChatWire.usageChunk(lastChunk, publicModel);
                    ChatWire.putUsage(last, usage, settlement, requestId);
                    send("data: " + last + "\n\n");
                }
                if (errorMessage != null) {
                    ErrorCode code = end == StreamEnd.UPSTREAM_IDLE ? ErrorCode.UPSTREAM_TIMEOUT : ErrorCode.UPSTREAM_FAILED;
                    send(ChatWire.errorFrame(code, errorMessage));
                }
                send(DONE);
            }
            if (sink != null) {
                sink.complete();
            }
        } finally {
            if (end == StreamEnd.COMPLETED) {
                upstream.release();  // after the caller has everything: keeping the connection may wait for its end
            }
        }
    }

    /**
     * The usage to charge for each way a stream can end. The upstream's own usage wins when it sent
     * one; otherwise the tokenizer counts the prompt and the text that was actually relayed.
     */
    private TokenUsage usageFor(StreamEnd end) {
        if (upstreamUsage != null) {
            return upstreamUsage;
        }
        boolean nothingDelivered = !delivered && generated.isEmpty();
        if (nothingDelivered && end != StreamEnd.COMPLETED && end != StreamEnd.CLIENT_DISCONNECTED) {
            return TokenUsage.NONE; // upstream failed before the first token: no charge
        }
        return new TokenUsage(promptEstimate, counter.count(generated.toString()), 0, 0, true);
    }

    private void send(String frame) {
        synchronized (sendLock) {
            if (finished.get() && frame == KEEP_ALIVE) {
                return;
            }
            sink.send(frame);
            lastSentNanos = System.nanoTime();
        }
    }

    private void onTick() {
        if (finished.get()) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastUpstreamNanos >= idleTimeout.toNanos()) {
            timerEnd = StreamEnd.UPSTREAM_IDLE;
            interruptUpstream();
            return;
        }
        if (now - lastSentNanos >= settings.keepAlive().toNanos()) {
            send(KEEP_ALIVE);
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
