package dev.tollgate.inbound.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.chat.FrameSink;
import dev.tollgate.inbound.ReencodingSink;

/**
 * The relay's chunks → {@code text_completion} chunks, one for one, in OpenAI's framing ({@code data: ...},
 * {@code data: [DONE]}); the error object of a failed stream goes out as it is, since both formats share it.
 */
public final class CompletionStreamEncoder extends ReencodingSink {

    private final String requestId;

    public CompletionStreamEncoder(FrameSink out, String requestId) {
        super(out);
        this.requestId = requestId;
    }

    @Override
    protected void onChunk(ObjectNode chunk) {
        emit("data: " + ToCompletion.chunk(chunk, requestId) + "\n\n");
    }

    @Override
    protected void onError(JsonNode error) {
        ObjectNode envelope = object();
        envelope.set("error", error);
        emit("data: " + envelope + "\n\n");
    }

    @Override
    protected void onDone() {
        emit("data: [DONE]\n\n");
    }
}
