package dev.tollgate.functions.web.openapi;

import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/messages} and {@code /v1/messages/count_tokens}: Anthropic's Messages API as Tollgate translates it
 * (dev.tollgate.inbound.anthropic, docs/wire-formats.md), with Tollgate's additions ({@code usage.cost},
 * {@code tollgate}). Unlike chat, the translation builds a new request: fields not listed are ignored.
 */
public final class MessagesSchemas {

    private MessagesSchemas() {
    }

    @Schema(name = "MessagesRequest", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "Anthropic's message request, served by a catalog chat model through the chat path (same "
                    + "hold, limits and ledger). anthropic-version is accepted and not needed; server tools are a "
                    + "400; fields not listed here are ignored.")
    public record Request(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "qwen3:latest",
                    description = "A chat model id of GET /v1/models") String model,
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1", example = "1024", description = "The output "
                    + "bound, clamped as on chat; the hold is priced on it") Integer maxTokens,
            @ArraySchema(minItems = 1, arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED))
            List<Message> messages,
            @Schema(ref = "#/components/schemas/MessagesSystem") Object system,
            @Schema(defaultValue = "false", description = "Server-sent events in Anthropic's sequence") Boolean stream,
            @ArraySchema(arraySchema = @Schema(description = "Client tools "
                    + "{name, description, input_schema}, served as chat function tools"),
                    schema = @Schema(implementation = Tool.class))
            @Nullable List<Tool> tools,
            @Schema(type = "object", additionalProperties = AdditionalPropertiesValue.TRUE, example = "{\"type\": "
                    + "\"auto\"}", description = "auto, any, tool (with name) or none; disable_parallel_tool_use")
            Map<String, Object> toolChoice,
            @Nullable List<String> stopSequences,
            @Nullable Double temperature,
            @Nullable Double topP,
            @Nullable Integer topK,
            @Nullable Thinking thinking,
            @Schema(type = "object", additionalProperties = AdditionalPropertiesValue.TRUE,
                    description = "user_id becomes the chat request's user") Map<String, Object> metadata) {
    }

    @Schema(name = "MessagesCountTokensRequest", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "A message request without max_tokens (ignored if sent) and stream")
    public record CountTokensRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "qwen3:latest") String model,
            @ArraySchema(minItems = 1, arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED))
            List<Message> messages,
            @Schema(ref = "#/components/schemas/MessagesSystem") Object system,
            @Nullable List<Tool> tools,
            @Schema(type = "object", additionalProperties = AdditionalPropertiesValue.TRUE)
            Map<String, Object> toolChoice,
            @Nullable Thinking thinking) {
    }

    @Schema(name = "MessagesMessage")
    public record Message(
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"user", "assistant"}) String role,
            @Schema(requiredMode = RequiredMode.REQUIRED, ref = "#/components/schemas/MessagesContent")
            Object content) {
    }

    @Schema(name = "MessagesContentBlock", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "text; image (source base64, or url where the model takes remote media) and document from "
                    + "the user; tool_use from the assistant, tool_result from the user; thinking and "
                    + "redacted_thinking blocks are dropped")
    public record ContentBlock(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "text",
                    description = "text, image, document, tool_use, tool_result, thinking, redacted_thinking")
            String type,
            @Schema(description = "For text") String text,
            @Schema(description = "For tool_use: the call id") String id,
            @Schema(description = "For tool_use") String name,
            @Schema(type = "object", additionalProperties = AdditionalPropertiesValue.TRUE,
                    description = "For tool_use: the arguments") Map<String, Object> input,
            @Schema(description = "For tool_result: the tool_use id it answers; its content is a string or text "
                    + "blocks") String toolUseId,
            @Schema(description = "For tool_result: sent to the model with an \"Error: \" prefix") Boolean isError) {
    }

    @Schema(name = "MessagesTool")
    public record Tool(
            @Schema(requiredMode = RequiredMode.REQUIRED) String name,
            String description,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "object",
                    additionalProperties = AdditionalPropertiesValue.TRUE, description = "A JSON Schema")
            Map<String, Object> inputSchema) {
    }

    @Schema(name = "MessagesThinking", description = "budget_tokens becomes a reasoning effort: up to 2048 low, up "
            + "to 8192 medium, above high")
    public record Thinking(
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"enabled", "disabled"}) String type,
            @Schema(minimum = "1", description = "Required when enabled") Integer budgetTokens) {
    }

    @Schema(name = "MessagesMessageResponse", description = "Anthropic's message: a thinking block (reasoning, empty "
            + "signature), the text, then one tool_use block per tool call; with Tollgate's billing summary")
    public record Response(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "msg_req_...") String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = "message") String type,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = "assistant") String role,
            @Schema(requiredMode = RequiredMode.REQUIRED) String model,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<ContentBlock> content,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "end_turn",
                    description = "end_turn, max_tokens, tool_use or refusal") String stopReason,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String stopSequence,
            @NonNull Usage usage,
            @NonNull ChatSchemas.Billing tollgate) {
    }

    @Schema(name = "MessagesUsage")
    public record Usage(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Prompt tokens not read from a cache")
            long inputTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Always 0") long cacheCreationInputTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED) long cacheReadInputTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED) long outputTokens,
            @Schema(example = "0.000014", description = "USD charged, six decimals") String cost) {
    }

    @Schema(name = "MessagesStreamEvent", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "One server-sent event (`event: <type>` then `data: {...}`): message_start, ping, "
                    + "content_block_start, content_block_delta (text_delta, thinking_delta, input_json_delta), "
                    + "content_block_stop, message_delta (stop_reason and the settled usage), message_stop. A stream "
                    + "that fails after the 200 ends with message_delta (what was charged) and an error event in "
                    + "Anthropic's envelope.")
    public record StreamEvent(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "content_block_delta") String type) {
    }

    @Schema(name = "MessagesTokenCount", description = "Tollgate's prompt estimate, the one the hold is sized on")
    public record TokenCount(@Schema(requiredMode = RequiredMode.REQUIRED, example = "14") int inputTokens) {
    }
}
