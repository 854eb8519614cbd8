package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.Settlement;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.metering.TokenUsage;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The SSE frames one relayed stream sends its caller: relayed chunks, keep-alives, and the ending the stream
 * policy prescribes (finish chunk, usage with its cost, an error event when it failed, {@code [DONE]}).
 * {@link StreamRelay} decides; this writes. Sends are serialized: the relay thread and the timer both send.
 */
final class StreamFrames {

    private final StreamRelay.Job job;
    private final Object sendLock = new Object();
    private final Set<Integer> openChoices = new TreeSet<>();
    private FrameSink sink;
    private volatile long lastSentNanos;
    private volatile boolean closed;
    private ObjectNode lastChunk;
    private ObjectNode finishChunk;
    private boolean delivered;

    StreamFrames(StreamRelay.Job job) {
        this.job = job;
    }

    /** The ending of a stream that ended before it had a sink (ended at shutdown before the caller subscribed). */
    private Runnable deferredEnd;
    private boolean sawChoices;

    /** Attaches the response; a stream that already ended writes its ending now. */
    void attach(FrameSink sink) {
        Runnable ending;
        synchronized (sendLock) {
            this.sink = sink;
            lastSentNanos = System.nanoTime();
            ending = deferredEnd;
            deferredEnd = null;
        }
        if (ending != null) {
            ending.run();
        }
    }

    boolean delivered() {
        return delivered;
    }

    /** A chunk that is not sent now (the usage-only chunk) but shapes the final one. */
    void remember(ObjectNode chunk) {
        lastChunk = chunk;
    }

    void sawChoice(JsonNode choice) {
        sawChoices = true;
        int index = choice.path("index").asInt(0);
        if (choice.hasNonNull("finish_reason")) {
            openChoices.remove(index);
        } else {
            openChoices.add(index);
        }
    }

    /** Sends a chunk, except the caller's finish chunk when it must carry the usage: that one waits for the end. */
    void relay(ObjectNode chunk) {
        lastChunk = chunk;
        boolean finishing = false;
        for (JsonNode choice : chunk.path("choices")) {
            finishing |= choice.hasNonNull("finish_reason");
        }
        // Held back only when it finishes the last open choice: earlier finishes (n > 1) go out in order.
        if (finishing && !job.usageChunk() && finishChunk == null && openChoices.isEmpty()) {
            finishChunk = chunk;
            return;
        }
        sendChunk(chunk);
        delivered = true;
    }

    void keepAliveIfQuiet(Duration keepAlive) {
        if (System.nanoTime() - lastSentNanos >= keepAlive.toNanos()) {
            send(StreamRelay.KEEP_ALIVE);
            flush();
        }
    }

    /** Writes what the sink holds: the relay is about to wait for the upstream. */
    void flush() {
        synchronized (sendLock) {
            if (!closed && sink != null) {
                sink.flush();
            }
        }
    }

    /** The end of the response for each way a stream ends (README: stream billing policy). */
    void end(StreamEnd end, TokenUsage usage, Settlement settlement, String errorMessage) {
        synchronized (sendLock) {
            if (sink == null) {
                deferredEnd = () -> end(end, usage, settlement, errorMessage);
                return;
            }
        }
        if (end != StreamEnd.CLIENT_DISCONNECTED) {
            if (end == StreamEnd.OUTPUT_BOUND && finishChunk == null && (!openChoices.isEmpty() || !sawChoices)) {
                ObjectNode length = choicesChunk("length");
                if (job.usageChunk()) {
                    sendChunk(length);
                } else {
                    finishChunk = length;
                }
            }
            if (finishChunk != null) {
                ChatWire.putUsage(finishChunk, usage, settlement, job.requestId());
                sendChunk(finishChunk);
            } else if (end == StreamEnd.COMPLETED || end == StreamEnd.OUTPUT_BOUND || delivered) {
                // OpenAI's usage chunk has no choices; a caller that did not ask for it reads choices[0] of every
                // chunk, so it gets one with an empty delta instead.
                ObjectNode last = job.usageChunk() ? ChatWire.usageChunk(lastChunk, job.publicModel()) : choicesChunk(null);
                ChatWire.putUsage(last, usage, settlement, job.requestId());
                sendChunk(last);
            }
            if (errorMessage != null) {
                send(ChatWire.errorFrame(errorCode(end), errorMessage));
            }
        }
        synchronized (sendLock) {
            if (end != StreamEnd.CLIENT_DISCONNECTED && !closed) {
                sink.send(StreamRelay.DONE);
            }
            closed = true; // with [DONE], under the lock: no keep-alive can follow it
        }
        sink.complete();
    }

    /**
     * A chunk with an empty delta for each open choice (index 0 when none was seen) and this {@code finish_reason}:
     * {@code length} tells the caller its choices stopped at the output bound, as OpenAI does.
     */
    private ObjectNode choicesChunk(String finishReason) {
        ObjectNode chunk = ChatWire.usageChunk(lastChunk, job.publicModel());
        var choices = chunk.putArray("choices");
        for (int index : openChoices.isEmpty() ? Set.of(0) : openChoices) {
            ObjectNode choice = choices.addObject().put("index", index);
            choice.putObject("delta");
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
        }
        return chunk;
    }

    private static ErrorCode errorCode(StreamEnd end) {
        return switch (end) {
            case UPSTREAM_IDLE, TOO_LONG -> ErrorCode.UPSTREAM_TIMEOUT;
            case SHUTDOWN -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> ErrorCode.UPSTREAM_FAILED;
        };
    }

    private void send(String frame) {
        write(sink -> sink.send(frame));
    }

    /** A chunk as a {@code data:} frame; it is not changed after this (the sink may write it later). */
    private void sendChunk(ObjectNode chunk) {
        write(sink -> sink.sendChunk(chunk));
    }

    /** Sends through the sink unless the response is closed or not attached yet; sends are serialized. */
    private void write(Consumer<FrameSink> send) {
        synchronized (sendLock) {
            if (closed || sink == null) {
                return;
            }
            send.accept(sink);
            lastSentNanos = System.nanoTime();
        }
    }
}
