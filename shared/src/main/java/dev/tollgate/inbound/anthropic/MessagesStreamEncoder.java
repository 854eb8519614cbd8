package dev.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.chat.FrameSink;
import dev.tollgate.inbound.ReencodingSink;

/**
 * The relay's OpenAI chunks → Anthropic's stream: {@code message_start}, {@code ping}, then per content block
 * {@code content_block_start}, its deltas ({@code thinking_delta}, {@code text_delta}, {@code input_json_delta})
 * and {@code content_block_stop}, then {@code message_delta} (stop_reason and the settled usage with its cost) and
 * {@code message_stop}. A stream that failed after the 200 ends with {@code message_delta} carrying what was
 * charged, then an {@code error} event in Anthropic's envelope, and no {@code message_stop}.
 *
 * <p>Anthropic has one choice per message: deltas of other choices (a chat-only knob) are not written.
 */
public final class MessagesStreamEncoder extends ReencodingSink {

    private final String requestId;
    private final String model;
    private boolean started;
    private int nextIndex;
    /** The open block: "thinking", "text", "tool:&lt;index&gt;", or null. */
    private String open;
    private String finishReason;
    private JsonNode usage;
    private JsonNode tollgate;
    private JsonNode error;

    /** @param model the public model id, for a stream that ends before its first chunk */
    public MessagesStreamEncoder(FrameSink out, String requestId, String model) {
        super(out);
        this.requestId = requestId;
        this.model = model;
    }

    @Override
    protected void onChunk(ObjectNode chunk) {
        start(chunk.path("model").asText(model));
        if (chunk.path("usage").isObject()) {
            usage = chunk.get("usage");
            tollgate = chunk.get("tollgate");
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue;
            }
            delta(choice.path("delta"));
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason").asText();
            }
        }
    }

    private void delta(JsonNode delta) {
        String reasoning = delta.path("reasoning_content").asText(delta.path("reasoning").asText(""));
        if (!reasoning.isEmpty()) {
            open("thinking", object().put("type", "thinking").put("thinking", "").put("signature", ""));
            blockDelta(object().put("type", "thinking_delta").put("thinking", reasoning));
        }
        String text = delta.path("content").asText("");
        if (!text.isEmpty()) {
            open("text", object().put("type", "text").put("text", ""));
            blockDelta(object().put("type", "text_delta").put("text", text));
        }
        for (JsonNode call : delta.path("tool_calls")) {
            String key = "tool:" + call.path("index").asInt(0);
            if (!key.equals(open)) {
                ObjectNode block = object().put("type", "tool_use").put("id", call.path("id").asText(""))
                        .put("name", call.path("function").path("name").asText(""));
                block.putObject("input");
                open(key, block);
            }
            String arguments = call.path("function").path("arguments").asText("");
            if (!arguments.isEmpty()) {
                blockDelta(object().put("type", "input_json_delta").put("partial_json", arguments));
            }
        }
    }

    @Override
    protected void onError(JsonNode error) {
        this.error = error;
    }

    @Override
    protected void onDone() {
        start(model);
        close();
        if (error == null || usage != null) {
            ObjectNode delta = object().put("type", "message_delta");
            delta.putObject("delta").put("stop_reason", StopReasons.of(finishReason)).putNull("stop_sequence");
            delta.set("usage", ToMessagesResponse.usage(usage == null ? object() : usage));
            if (tollgate != null) {
                delta.set("tollgate", tollgate);
            }
            emitEvent("message_delta", delta);
        }
        if (error != null) {
            emitEvent("error", AnthropicErrors.fromOpenAi(AnthropicErrors.statusOf(error), error));
            return;
        }
        emitEvent("message_stop", object().put("type", "message_stop"));
    }

    private void start(String servedModel) {
        if (started) {
            return;
        }
        started = true;
        ObjectNode message = object().put("id", ToMessagesResponse.messageId(requestId)).put("type", "message")
                .put("role", "assistant").put("model", servedModel);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        // Known only once the stream is settled: message_delta carries the real counts.
        message.set("usage", ToMessagesResponse.usage(object()));
        ObjectNode event = object().put("type", "message_start");
        event.set("message", message);
        emitEvent("message_start", event);
        emitEvent("ping", object().put("type", "ping"));
    }

    private void open(String kind, ObjectNode block) {
        if (kind.equals(open)) {
            return;
        }
        close();
        open = kind;
        ObjectNode event = object().put("type", "content_block_start").put("index", nextIndex);
        event.set("content_block", block);
        emitEvent("content_block_start", event);
    }

    private void blockDelta(ObjectNode delta) {
        ObjectNode event = object().put("type", "content_block_delta").put("index", nextIndex);
        event.set("delta", delta);
        emitEvent("content_block_delta", event);
    }

    private void close() {
        if (open == null) {
            return;
        }
        emitEvent("content_block_stop", object().put("type", "content_block_stop").put("index", nextIndex));
        open = null;
        nextIndex++;
    }
}
