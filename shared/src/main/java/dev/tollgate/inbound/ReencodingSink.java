package dev.tollgate.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.chat.FrameSink;
import dev.tollgate.json.JsonBuffers;
import java.io.IOException;

/**
 * A {@link FrameSink} that re-encodes the relay's OpenAI chat frames into another wire format's events before
 * they reach the response. This is the whole seam between the chat path and an inbound format's stream: the relay
 * still decides what is relayed, bounded and charged, and ends every stream the same way (the final usage chunk
 * with its cost, an error object when it failed, {@code [DONE]}); the subclass only writes those in its format.
 *
 * <p>The relay calls a sink from one thread at a time, so subclasses keep plain state. Keep-alive comments pass
 * through unchanged: an SSE comment is valid in every format. A {@link #complete()} without {@code [DONE]} is a
 * client that went away: nothing more is written.
 */
public abstract class ReencodingSink implements FrameSink {

    private static final ObjectMapper JSON = JsonBuffers.mapper();
    private static final String DATA = "data: ";

    private final FrameSink out;
    private boolean done;

    protected ReencodingSink(FrameSink out) {
        this.out = out;
    }

    @Override
    public final void send(String frame) {
        if (!frame.startsWith(DATA)) {
            out.send(frame); // a comment (keep-alive)
            return;
        }
        String data = frame.substring(DATA.length()).strip();
        if (data.equals("[DONE]")) {
            done = true;
            onDone();
            return;
        }
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (IOException e) {
            throw new IllegalStateException("the relay sent a frame that is not JSON: " + data, e);
        }
        if (node.has("error") && !node.has("choices")) {
            onError(node.get("error"));
        } else {
            onChunk((ObjectNode) node);
        }
    }

    /** A chunk the relay sends as a tree: no text to parse. A copy, so an encoder may change what it is given. */
    @Override
    public final void sendChunk(ObjectNode chunk) {
        onChunk(chunk.deepCopy());
    }

    @Override
    public final void flush() {
        out.flush();
    }

    @Override
    public final void complete() {
        if (!done) {
            onDisconnect();
        }
        out.complete();
    }

    /** A {@code chat.completion.chunk}: deltas, a finish, or the final usage chunk ({@code choices: []}). */
    protected abstract void onChunk(ObjectNode chunk);

    /** The OpenAI error object of a stream that failed after the 200 was sent; {@code [DONE]} follows. */
    protected abstract void onError(JsonNode error);

    /** The relay's {@code [DONE]}: the stream is over, however it ended. */
    protected abstract void onDone();

    /** The client went away: nobody reads what would be written. */
    protected void onDisconnect() {
    }

    /** Writes one event in the target format, e.g. {@code event: x\ndata: {...}\n\n}. */
    protected final void emit(String frame) {
        out.send(frame);
    }

    /** {@code event: <name>} and {@code data: <json>}, the SSE framing Anthropic and the Responses API use. */
    protected final void emitEvent(String name, JsonNode data) {
        out.send("event: " + name + "\ndata: " + data + "\n\n");
    }

    protected static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
