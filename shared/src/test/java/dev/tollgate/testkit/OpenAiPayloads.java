package dev.tollgate.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/** JSON bodies in the OpenAI Chat Completions / Embeddings / Models wire shapes, built for {@link FakeExchange}. */
final class OpenAiPayloads {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int EMBEDDING_DIMENSIONS = 8;

    private OpenAiPayloads() {
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode usage(Behavior b) {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("prompt_tokens", b.promptTokens());
        usage.put("completion_tokens", b.completionTokens());
        usage.put("total_tokens", b.promptTokens() + b.completionTokens());
        return usage;
    }

    /** A buffered {@code chat.completion}. */
    static String chatCompletion(String id, long created, String model, Behavior b) {
        String content = b.isEndless() ? b.content().repeat(Behavior.ENDLESS_REPEATS) : b.content();
        ObjectNode message = JSON.createObjectNode().put("role", "assistant").put("content", content);
        if (b.reasoning() != null) {
            message.put("reasoning_content", b.reasoning());
        }
        if (b.toolCall() != null) {
            message.putArray("tool_calls").addObject().put("id", "call_fake_1").put("type", "function")
                    .putObject("function").put("name", b.toolCall().get(0)).put("arguments", b.toolCall().get(1));
        }
        ObjectNode root = header(id, "chat.completion", created, model);
        var choices = root.putArray("choices");
        for (int i = 0; i < b.choiceCount(); i++) {
            choices.addObject()
                    .put("index", i)
                    .<ObjectNode>set("message", message.deepCopy())
                    .put("finish_reason", b.toolCall() != null ? "tool_calls" : "stop");
        }
        if (b.hasUsage()) {
            root.set("usage", usage(b));
        }
        return write(root);
    }

    /** A {@code chat.completion.chunk} with one choice; {@code usageNull} adds {@code "usage":null} like OpenAI. */
    static String chunk(String id, long created, String model, ObjectNode delta, String finishReason,
            boolean usageNull) {
        return chunk(id, created, model, delta, finishReason, usageNull, 1);
    }

    /** A {@code chat.completion.chunk} with {@code choices} choices, each carrying the same delta. */
    static String chunk(String id, long created, String model, ObjectNode delta, String finishReason,
            boolean usageNull, int choices) {
        ObjectNode root = header(id, "chat.completion.chunk", created, model);
        var array = root.putArray("choices");
        for (int i = 0; i < choices; i++) {
            ObjectNode choice = array.addObject().put("index", i);
            choice.set("delta", delta.deepCopy());
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
        }
        if (usageNull) {
            root.putNull("usage");
        }
        return write(root);
    }

    /** The deltas of a streamed tool call: id and name first, then the arguments in two fragments. */
    static List<ObjectNode> toolCallDeltas(List<String> call) {
        String arguments = call.get(1);
        int half = arguments.length() / 2;
        List<ObjectNode> deltas = new ArrayList<>();
        ObjectNode first = JSON.createObjectNode();
        first.putArray("tool_calls").addObject().put("index", 0).put("id", "call_fake_1").put("type", "function")
                .putObject("function").put("name", call.get(0)).put("arguments", "");
        deltas.add(first);
        for (String part : List.of(arguments.substring(0, half), arguments.substring(half))) {
            ObjectNode delta = JSON.createObjectNode();
            delta.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", part);
            deltas.add(delta);
        }
        return deltas;
    }

    /** The trailing usage chunk sent when {@code stream_options.include_usage} is true: empty choices. */
    static String usageChunk(String id, long created, String model, Behavior b) {
        ObjectNode root = header(id, "chat.completion.chunk", created, model);
        root.putArray("choices");
        root.set("usage", usage(b));
        return write(root);
    }

    /** An embeddings list with one deterministic unit vector per input; usage counts whitespace words. */
    static String embeddings(JsonNode request, boolean withUsage) {
        List<String> inputs = new ArrayList<>();
        int words = 0;
        JsonNode input = request.path("input");
        if (input.isArray() && input.size() > 0 && (input.get(0).isNumber())) {
            inputs.add(input.toString()); // a single pre-tokenized input
            words += input.size();
        } else if (input.isArray()) {
            for (JsonNode item : input) {
                String text = item.isTextual() ? item.asText() : item.toString();
                inputs.add(text);
                words += item.isArray() ? item.size() : countWords(text);
            }
        } else {
            inputs.add(input.asText());
            words += countWords(input.asText());
        }
        boolean base64 = "base64".equals(request.path("encoding_format").asText());
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = vectorFor(inputs.get(i));
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer buf = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : vector) {
                    buf.putFloat(v);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
        }
        root.put("model", request.path("model").asText("fake-embedding"));
        if (withUsage) {
            root.putObject("usage").put("prompt_tokens", words).put("total_tokens", words);
        }
        return write(root);
    }

    /** Deterministic across runs and JVMs: seeded from {@link String#hashCode()}, normalised to length 1. */
    static float[] vectorFor(String text) {
        SplittableRandom random = new SplittableRandom(text.hashCode());
        float[] v = new float[EMBEDDING_DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }

    static int countWords(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    static String models() {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String id : List.of("gpt-4o-mini", "gpt-4o", "text-embedding-3-small")) {
            data.addObject().put("id", id).put("object", "model").put("created", 1_700_000_000L)
                    .put("owned_by", "fake-openai");
        }
        return write(root);
    }

    /** An OpenAI error object: {@code {"error":{"message":..,"type":..,"param":null,"code":..}}}. */
    static String error(String message, String type, String code) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
        return write(error);
    }

    private static ObjectNode header(String id, String object, long created, String model) {
        return JSON.createObjectNode().put("id", id).put("object", object).put("created", created)
                .put("model", model);
    }
}
