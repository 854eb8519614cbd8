package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.Settlement;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.metering.TokenUsage;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

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

    void attach(FrameSink sink) {
        this.sink = sink;
        lastSentNanos = System.nanoTime();
    }

    boolean delivered() {
        return delivered;
    }

    /** A chunk that is not sent now (the usage-only chunk) but shapes the final one. */
    void remember(ObjectNode chunk) {
        lastChunk = chunk;
    }

    void sawChoice(JsonNode choice) {
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
        if (finishing && !job.usageChunk() && finishChunk == null) {
            finishChunk = chunk;
            return;
        }
        send("data: " + chunk + "\n\n");
        delivered = true;
    }

    void keepAliveIfQuiet(Duration keepAlive) {
        if (System.nanoTime() - lastSentNanos >= keepAlive.toNanos()) {
            send(StreamRelay.KEEP_ALIVE);
        }
    }

    /** The end of the response for each way a stream ends (README: stream billing policy). */
    void end(StreamEnd end, TokenUsage usage, Settlement settlement, String errorMessage) {
        if (end != StreamEnd.CLIENT_DISCONNECTED && sink != null) {
            if (end == StreamEnd.OUTPUT_BOUND && finishChunk == null) {
                ObjectNode length = lengthChunk();
                if (job.usageChunk()) {
                    send("data: " + length + "\n\n");
                } else {
                    finishChunk = length;
                }
            }
            if (finishChunk != null) {
                ChatWire.putUsage(finishChunk, usage, settlement, job.requestId());
                send("data: " + finishChunk + "\n\n");
            } else if (end == StreamEnd.COMPLETED || end == StreamEnd.OUTPUT_BOUND || delivered) {
                ObjectNode last = ChatWire.usageChunk(lastChunk, job.publicModel());
                ChatWire.putUsage(last, usage, settlement, job.requestId());
                send("data: " + last + "\n\n");
            }
            if (errorMessage != null) {
                send(ChatWire.errorFrame(errorCode(end), errorMessage));
            }
            send(StreamRelay.DONE);
        }
        closed = true;
        if (sink != null) {
            sink.complete();
        }
    }

    /** The chunk that tells the caller its choices stopped at the output bound: OpenAI's {@code finish_reason: length}. */
    private ObjectNode lengthChunk() {
        ObjectNode chunk = ChatWire.usageChunk(lastChunk, job.publicModel());
        var choices = chunk.putArray("choices");
        for (int index : openChoices.isEmpty() ? Set.of(0) : openChoices) {
            ObjectNode choice = choices.addObject().put("index", index);
            choice.putObject("delta");
            choice.put("finish_reason", "length");
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
        synchronized (sendLock) {
            if (closed || sink == null) {
                return;
            }
            sink.send(frame);
            lastSentNanos = System.nanoTime();
        }
    }
}
