package dev.tollgate.functions.web.openapi;

import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/chat/completions}: OpenAI's request and response, with the fields Tollgate acts on
 * (dev.tollgate.openai.ChatRequest validates them) and Tollgate's additions ({@code usage.cost}, {@code tollgate}).
 * Every other field passes through to the upstream untouched, hence {@code additionalProperties}.
 */
public final class ChatSchemas {

    private ChatSchemas() {
    }

    @Schema(name = "ChatCompletionRequest", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "OpenAI's chat completion request. Fields not listed here (tools, tool_choice, "
                    + "response_format, temperature, reasoning options, provider extras) reach the upstream as sent, "
                    + "unless the model's field policy refuses them (400 naming the field).")
    public record Request(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "gemma3:1b", description = "A model id of GET /v1/models")
            String model,
            @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, description = "At least one message")
            List<Message> messages,
            @Schema(defaultValue = "false", description = "Server-sent events: `data: {chunk}` lines, then `data: [DONE]`")
            Boolean stream,
            @Nullable StreamOptions streamOptions,
            @Schema(minimum = "1", description = "Output bound per choice. Tollgate sends the upstream this bound "
                    + "clamped to the model's output cap and to the context window (the cap when absent), as both "
                    + "max_tokens and max_completion_tokens; the hold (the most the request may cost) is priced on it")
            Integer maxTokens,
            @Schema(minimum = "1", description = "As max_tokens, which it takes precedence over (as at OpenAI)")
            Integer maxCompletionTokens,
            @Schema(minimum = "1", defaultValue = "1", description = "Choices; multiplies the hold; above the "
                    + "model's max_choices is a 400")
            Integer n,
            @Schema(type = "string", example = "0.05", description = "Cost ceiling in dollars (a number or a decimal "
                    + "string, at most 6 decimals): a request whose worst case is above it is a 400; one that runs is "
                    + "never charged more. Not sent upstream. Also the header x-tollgate-max-cost-usd")
            @Nullable String maxCostUsd,
            @Nullable SpendOptions tollgate) {
    }

    @Schema(name = "TollgateSpendOptions", description = "Tollgate's own request options; not sent upstream")
    public record SpendOptions(
            @Schema(allowableValues = {"clamp", "refuse"}, defaultValue = "refuse", description = "clamp: lower the "
                    + "output bound to what the balance, key budget, spend windows and cost ceiling can pay for "
                    + "(x-tollgate-max-tokens-clamped says to what) instead of refusing. Also the header "
                    + "x-tollgate-afford")
            String afford) {
    }

    @Schema(name = "ChatMessage", additionalProperties = AdditionalPropertiesValue.TRUE)
    public record Message(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "user",
                    description = "system, developer, user, assistant or tool")
            String role,
            @Schema(ref = "#/components/schemas/ChatContent") // a string or parts: components/unions.yml
            Object content,
            @ArraySchema(arraySchema = @Schema(description = "An assistant message's tool calls, as OpenAI"),
                    schema = @Schema(type = "object", additionalProperties = AdditionalPropertiesValue.TRUE))
            @Nullable List<Map<String, Object>> toolCalls,
            @Schema(description = "A tool message's answer to this call id")
            String toolCallId) {
    }

    @Schema(name = "ChatStreamOptions", description = "usage is always reported on streams; include_usage: true puts "
            + "it in a separate last chunk with empty choices (as OpenAI), otherwise it is on the chunk with "
            + "finish_reason")
    public record StreamOptions(@Schema(defaultValue = "false") Boolean includeUsage) {
    }

    @Schema(name = "ChatCompletion", description = "OpenAI's chat completion, as the upstream answered, with model set "
            + "to the public id, usage always present (counted by Tollgate when the upstream sent none) and "
            + "Tollgate's billing summary")
    public record Completion(
            @Schema(requiredMode = RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "chat.completion") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED) long created,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "gemma3:1b") String model,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<Choice> choices,
            @NonNull Usage usage,
            @NonNull Billing tollgate) {
    }

    @Schema(name = "ChatChoice", additionalProperties = AdditionalPropertiesValue.TRUE)
    public record Choice(int index, Message message,
                         @Schema(nullable = true, example = "stop", description = "stop, length, tool_calls...")
                         String finishReason) {
    }

    @Schema(name = "ChatCompletionChunk", description = "One `data:` event of a stream. The last data event before "
            + "`data: [DONE]` carries usage and tollgate (settled figures); a stream that fails after the 200 ends "
            + "with an event `{\"error\":{...}}` (OpenAI's envelope), then `data: [DONE]`. Comments "
            + "(`: keep-alive`) are sent while the upstream is silent.")
    public record Chunk(
            @Schema(requiredMode = RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "chat.completion.chunk") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED) long created,
            @Schema(requiredMode = RequiredMode.REQUIRED) String model,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Empty in the separate usage chunk")
            List<ChunkChoice> choices,
            @Nullable Usage usage,
            @Nullable Billing tollgate) {
    }

    @Schema(name = "ChatChunkChoice", additionalProperties = AdditionalPropertiesValue.TRUE)
    public record ChunkChoice(
            int index,
            @Schema(type = "object", additionalProperties = AdditionalPropertiesValue.TRUE,
                    description = "What this event adds to the message: role, content, tool_calls...")
            Map<String, Object> delta,
            @Schema(nullable = true, requiredMode = RequiredMode.REQUIRED, example = "stop") String finishReason) {
    }

    @Schema(name = "Usage", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "Tokens (prompt_tokens_details/completion_tokens_details as the upstream reported them) "
                    + "and what they cost")
    public record Usage(
            @Schema(requiredMode = RequiredMode.REQUIRED) long promptTokens,
            @Schema(description = "Absent on embeddings") Long completionTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED) long totalTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000014",
                    description = "USD charged, six decimals") String cost) {
    }

    @Schema(name = "TollgateBilling", description = "What the request cost and the balance left")
    public record Billing(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "req_...",
                    description = "Also in the x-request-id header") String requestId,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000014") String costUsd,
            @Schema(example = "4.999986", description = "After this request; absent when settlement is deferred")
            String balanceUsd,
            @Schema(description = "The part of the cost the balance could not cover, now owed as account debt")
            String owedUsd,
            @Schema(description = "\"deferred\": settled shortly by the reconciler (rare)") String settlement,
            @Schema(description = "\"tollgate\" when the upstream reported no usage and Tollgate counted the tokens")
            String usageCountedBy) {
    }
}
