package dev.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.chat.FrameSink;
import dev.tollgate.inbound.ReencodingSink;
import java.util.function.Consumer;

/**
 * The relay's OpenAI chunks → the Responses stream, each event numbered by {@code sequence_number}:
 * {@code response.created}, {@code response.in_progress}; per output item {@code response.output_item.added},
 * its parts and deltas ({@code response.output_text.delta}, {@code response.reasoning_summary_text.delta},
 * {@code response.function_call_arguments.delta}) and their {@code .done} events, {@code response.output_item.done};
 * then {@code response.completed} (or {@code response.incomplete} at max_output_tokens) with the settled usage and
 * its cost. A stream that failed after the 200 ends with {@code response.failed}, carrying what was charged.
 *
 * <p>{@code onFinished} gets the final response of a stream that finished (not of a failed one) before its last
 * event is written, so that it can be stored and GET finds it as soon as the client has seen it complete.
 */
public final class ResponsesStreamEncoder extends ReencodingSink {

    private final String requestId;
    private final long createdAt;
    private final String model;
    private final ObjectNode echo;
    private final Consumer<ObjectNode> onFinished;
    private final ArrayNode items = ReencodingSink.object().arrayNode();
    private ObjectNode response;
    private long sequence;
    /** "reasoning", "message", "call:&lt;index&gt;" or null. */
    private String open;
    private final StringBuilder text = new StringBuilder();
    private String callId;
    private String callName;
    private String finishReason;
    private JsonNode usage;
    private JsonNode tollgate;
    private JsonNode error;

    public ResponsesStreamEncoder(FrameSink out, String requestId, long createdAt, String model, ObjectNode echo,
                                  Consumer<ObjectNode> onFinished) {
        super(out);
        this.requestId = requestId;
        this.createdAt = createdAt;
        this.model = model;
        this.echo = echo;
        this.onFinished = onFinished;
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
                continue; // a response has one answer
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
            open("reasoning", null);
            text.append(reasoning);
            emit("response.reasoning_summary_text.delta", itemEvent().put("summary_index", 0).put("delta", reasoning));
        }
        String content = delta.path("content").asText("");
        if (!content.isEmpty()) {
            open("message", null);
            text.append(content);
            ObjectNode event = itemEvent().put("content_index", 0).put("delta", content);
            event.putArray("logprobs");
            emit("response.output_text.delta", event);
        }
        for (JsonNode call : delta.path("tool_calls")) {
            open("call:" + call.path("index").asInt(0), call);
            String arguments = call.path("function").path("arguments").asText("");
            if (!arguments.isEmpty()) {
                text.append(arguments);
                emit("response.function_call_arguments.delta", itemEvent().put("delta", arguments));
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
        response.set("output", items);
        if (usage != null) {
            response.set("usage", ResponseObject.usage(usage));
        }
        if (tollgate != null) {
            response.set("tollgate", tollgate);
        }
        if (error != null) {
            response.put("status", "failed");
            response.putObject("error").put("code", "server_error")
                    .put("message", error.path("message").asText("The stream failed."));
            emit("response.failed", event().set("response", response));
            return;
        }
        ResponseObject.finish(response, finishReason);
        onFinished.accept(response);
        String status = response.get("status").asText();
        emit(status.equals("completed") ? "response.completed" : "response.incomplete", event().set("response", response));
    }

    private void start(String servedModel) {
        if (response != null) {
            return;
        }
        response = ResponseObject.base(requestId, createdAt, servedModel, echo, "in_progress");
        emit("response.created", event().set("response", response.deepCopy()));
        emit("response.in_progress", event().set("response", response.deepCopy()));
    }

    private void open(String kind, JsonNode call) {
        if (kind.equals(open)) {
            return;
        }
        close();
        open = kind;
        text.setLength(0);
        ObjectNode item;
        if (kind.equals("reasoning")) {
            item = ResponseObject.reasoningItem(requestId, null);
        } else if (kind.equals("message")) {
            item = ResponseObject.messageItem(requestId, "in_progress", null);
        } else {
            callId = call.path("id").asText("call_" + requestId + "_" + items.size());
            callName = call.path("function").path("name").asText("");
            item = ResponseObject.functionCallItem(callId, callName, "", "in_progress");
        }
        emit("response.output_item.added", event().put("output_index", items.size()).set("item", item));
        if (kind.equals("reasoning")) {
            emit("response.reasoning_summary_part.added", itemEvent().put("summary_index", 0)
                    .set("part", object().put("type", "summary_text").put("text", "")));
        } else if (kind.equals("message")) {
            emit("response.content_part.added", itemEvent().put("content_index", 0).set("part", ResponseObject.textPart("")));
        }
    }

    private void close() {
        if (open == null) {
            return;
        }
        String done = text.toString();
        ObjectNode item;
        if (open.equals("reasoning")) {
            emit("response.reasoning_summary_text.done", itemEvent().put("summary_index", 0).put("text", done));
            emit("response.reasoning_summary_part.done", itemEvent().put("summary_index", 0)
                    .set("part", object().put("type", "summary_text").put("text", done)));
            item = ResponseObject.reasoningItem(requestId, done);
        } else if (open.equals("message")) {
            ObjectNode textDone = itemEvent().put("content_index", 0).put("text", done);
            textDone.putArray("logprobs");
            emit("response.output_text.done", textDone);
            emit("response.content_part.done", itemEvent().put("content_index", 0).set("part", ResponseObject.textPart(done)));
            item = ResponseObject.messageItem(requestId, "completed", done);
        } else {
            emit("response.function_call_arguments.done", itemEvent().put("name", callName).put("arguments", done));
            item = ResponseObject.functionCallItem(callId, callName, done, "completed");
        }
        emit("response.output_item.done", event().put("output_index", items.size()).set("item", item));
        items.add(item);
        open = null;
    }

    /** An event about the open item: its id and output index. */
    private ObjectNode itemEvent() {
        String itemId = open.equals("reasoning") ? ResponseObject.reasoningId(requestId)
                : open.equals("message") ? ResponseObject.messageId(requestId) : "fc_" + callId;
        return event().put("item_id", itemId).put("output_index", items.size());
    }

    private static ObjectNode event() {
        return object();
    }

    private void emit(String type, ObjectNode fields) {
        ObjectNode event = object().put("type", type).put("sequence_number", sequence++);
        event.setAll(fields);
        emitEvent(type, event);
    }
}
