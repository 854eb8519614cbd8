package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.Settlement;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.catalog.RequestPolicy;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.error.ErrorEnvelope;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.openai.ChatRequest;
import dev.tollgate.openai.SpendControls;
import dev.tollgate.windows.CreditHeaders;
import dev.tollgate.windows.WindowUsage;
import java.util.List;

/**
 * Pure mappings between the caller's wire format and the upstream's, with no I/O: what Tollgate
 * changes in a request on its way up, and in a response on its way down.
 */
public final class ChatWire {

    static final String[] OUTPUT_BOUNDS = {"max_tokens", "max_completion_tokens"};
    /** Fields Tollgate acts on itself: an upstream that also routes (OpenRouter) must not route a second time. */
    static final java.util.List<String> ROUTING_FIELDS = java.util.List.of("models", "max_price", ReasoningInContent.FIELD,
            SpendControls.MAX_COST_FIELD, SpendControls.TOLLGATE_FIELD);

    private ChatWire() {
    }

    /**
     * The body sent upstream: the caller's body with {@code model} (the upstream's name), the output bound,
     * the fields the catalog's policy drops, Tollgate's own fields ({@code models}, {@code max_price},
     * {@code max_cost_usd}, {@code tollgate}) and, for
     * streams, {@code stream_options.include_usage} changed.
     *
     * <p>The clamped bound goes in both {@code max_tokens} and {@code max_completion_tokens}, whatever the caller
     * sent: servers differ in which one they read (Ollama and llama.cpp read {@code max_tokens}, OpenAI's newer
     * models {@code max_completion_tokens}), and the hold is sized on this bound. A model whose server refuses one
     * of them drops it in its catalog field policy.
     */
    public static ObjectNode toUpstream(ChatRequest request, ModelEntry model, ChatLimits limits) {
        ObjectNode body = request.copyBody();
        body.put("model", model.upstreamModel());
        body.remove(limits.droppedFields());
        body.remove(ROUTING_FIELDS);
        ReasoningSwitch.apply(body, model.policy(), request.stream());
        for (String field : OUTPUT_BOUNDS) {
            if (model.policy().action(field) != RequestPolicy.FieldAction.DROP) {
                body.put(field, limits.maxOutputPerChoice());
            }
        }
        if (request.stream()) {
            JsonNode options = body.get("stream_options");
            ObjectNode streamOptions = options instanceof ObjectNode o ? o : body.putObject("stream_options");
            streamOptions.put("include_usage", true);
        }
        return body;
    }

    /** Text the model produced in a buffered response, for counting when the upstream reports no usage. */
    public static String completionText(JsonNode response) {
        StringBuilder text = new StringBuilder();
        for (JsonNode choice : response.path("choices")) {
            appendGenerated(text, choice.path("message"));
        }
        return text.toString();
    }

    /** Appends the generated text of a message or a stream delta (see {@link GeneratedText} for which fields). */
    public static void appendGenerated(StringBuilder text, JsonNode messageOrDelta) {
        GeneratedText.visit(messageOrDelta, (owner, field) -> text.append(owner.get(field).asText()));
    }

    /** Writes {@code usage} (with its cost) and Tollgate's billing summary into a response or final chunk. */
    public static void putUsage(ObjectNode target, TokenUsage usage, Settlement settlement, String requestId) {
        ObjectNode usageNode = target.putObject("usage");
        usageNode.put("prompt_tokens", usage.promptTokens());
        usageNode.put("completion_tokens", usage.completionTokens());
        usageNode.put("total_tokens", usage.totalTokens());
        if (usage.cachedTokens() > 0 || usage.cacheWriteTokens() > 0) {
            ObjectNode details = usageNode.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
            if (usage.cacheWriteTokens() > 0) {
                details.put("cache_write_tokens", usage.cacheWriteTokens()); // OpenRouter's name, inside prompt_tokens
            }
        }
        if (usage.reasoningTokens() > 0) {
            usageNode.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        }
        if (settlement != null) {
            putCharge(target, usageNode, usage, settlement, requestId);
        }
    }

    /**
     * What a settled request cost, the same way on every endpoint: {@code usage.cost} in dollars and
     * Tollgate's billing summary ({@code tollgate.request_id}, {@code cost_usd}, {@code balance_usd}, and
     * {@code usage_counted_by} when Tollgate counted the tokens itself).
     */
    public static void putCharge(ObjectNode target, ObjectNode usageNode, TokenUsage usage, Settlement settlement,
                                 String requestId) {
        usageNode.put("cost", settlement.charged().toDollars());
        ObjectNode tollgate = target.putObject("tollgate");
        tollgate.put("request_id", requestId);
        tollgate.put("cost_usd", settlement.charged().toDollars());
        if (settlement.shortfall().isPositive()) {
            tollgate.put("owed_usd", settlement.shortfall().toDollars()); // beyond the hold and the balance: debt
        }
        if (settlement.isDeferred()) {
            tollgate.put("settlement", "deferred"); // recorded on the hold; the reconciler charges it shortly
        }
        if (settlement.balance() != null) {
            tollgate.put("balance_usd", settlement.balance().toDollars());
        }
        if (usage.counted()) {
            tollgate.put("usage_counted_by", "tollgate");
        }
        putWindows(tollgate, settlement.windows());
    }

    /**
     * The spend windows after settlement, the numbers of the credit headers (µ$):
     * {@code "windows": {"daily": {"limit_credits": 1000000, "remaining_credits": 750000, "reset": "..."}}}.
     */
    static void putWindows(ObjectNode tollgate, List<WindowUsage> windows) {
        if (windows.isEmpty()) {
            return;
        }
        ObjectNode node = tollgate.putObject("windows");
        for (WindowUsage usage : windows) {
            ObjectNode window = node.putObject(usage.window().window().wire());
            window.put("limit_credits", usage.limit().micros());
            window.put("remaining_credits", usage.remaining().micros());
            window.put("reset", CreditHeaders.reset(usage.reset()));
        }
    }

    /** The final stream chunk carrying usage, as OpenAI sends it: no choices. */
    public static ObjectNode usageChunk(ObjectNode template, String publicModel) {
        ObjectNode chunk = template == null ? JsonNodeFactory.instance.objectNode() : template.deepCopy();
        chunk.remove("usage");
        if (!chunk.has("object")) {
            chunk.put("object", "chat.completion.chunk");
        }
        chunk.put("model", publicModel);
        chunk.set("choices", new ArrayNode(JsonNodeFactory.instance));
        return chunk;
    }

    /** An SSE frame carrying the OpenAI error envelope, for failures after the 200 was sent. */
    public static String errorFrame(ErrorCode code, String message) {
        return "data: " + ErrorEnvelope.of(code, message, null) + "\n\n";
    }
}
