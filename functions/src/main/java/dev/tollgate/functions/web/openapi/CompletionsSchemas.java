package dev.tollgate.functions.web.openapi;

import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;
import java.util.Map;

/**
 * Legacy {@code POST /v1/completions}: the prompt is served by the chat path as one user message
 * (dev.tollgate.inbound.completions, docs/wire-formats.md); answers and chunks have the {@code text_completion}
 * shape with chat's usage and Tollgate's billing summary.
 */
public final class CompletionsSchemas {

    private CompletionsSchemas() {
    }

    @Schema(name = "CompletionRequest", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "OpenAI's legacy completion request. suffix, echo: true, logprobs and best_of above 1 are a "
                    + "400; fields not listed here are ignored.")
    public record Request(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "qwen3:latest",
                    description = "A chat model id of GET /v1/models") String model,
            @Schema(requiredMode = RequiredMode.REQUIRED, ref = "#/components/schemas/CompletionPrompt") Object prompt,
            @Schema(minimum = "1", defaultValue = "16", description = "The output bound (16 when absent, as at "
                    + "OpenAI), clamped as on chat") Integer maxTokens,
            @Schema(defaultValue = "false", description = "Server-sent events: `data: {chunk}` lines, then "
                    + "`data: [DONE]`") Boolean stream,
            @Nullable ChatSchemas.StreamOptions streamOptions,
            @Nullable Double temperature,
            @Nullable Double topP,
            @Schema(minimum = "1", defaultValue = "1") Integer n,
            @Schema(ref = "#/components/schemas/CompletionStop") Object stop,
            @Nullable Double presencePenalty,
            @Nullable Double frequencyPenalty,
            @Nullable Integer seed,
            @Nullable String user,
            @Schema(type = "object", additionalProperties = AdditionalPropertiesValue.TRUE, nullable = true)
            Map<String, Object> logitBias) {
    }

    @Schema(name = "Completion", description = "OpenAI's text completion. In a stream each `data:` event has this "
            + "shape with the next piece of text; the last before `data: [DONE]` carries usage and tollgate, and a "
            + "stream that fails after the 200 ends with an event `{\"error\":{...}}` (OpenAI's envelope).")
    public record Completion(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "cmpl-req_...") String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = "text_completion") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED) long created,
            @Schema(requiredMode = RequiredMode.REQUIRED) String model,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<Choice> choices,
            @NonNull ChatSchemas.Usage usage,
            @NonNull ChatSchemas.Billing tollgate) {
    }

    @Schema(name = "CompletionChoice")
    public record Choice(
            @Schema(requiredMode = RequiredMode.REQUIRED) String text,
            @Schema(requiredMode = RequiredMode.REQUIRED) int index,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, type = "object", description = "Always null")
            Map<String, Object> logprobs,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, example = "stop",
                    description = "stop (also for a model's tool calls), length, content_filter") String finishReason) {
    }
}
