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
 * {@code POST /v1/responses}, {@code GET} and {@code DELETE /v1/responses/{id}}: OpenAI's Responses API as Tollgate
 * translates it to chat (dev.tollgate.inbound.responses, docs/wire-formats.md), with Tollgate's additions
 * ({@code usage.cost}, {@code tollgate}). The translation builds a new request: fields not listed are ignored.
 */
public final class ResponsesSchemas {

    private ResponsesSchemas() {
    }

    @Schema(name = "ResponsesRequest", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "OpenAI's response request, served by a catalog chat model through the chat path (same "
                    + "hold, limits and ledger). Built-in tools and uploaded file ids are a 400; fields not listed "
                    + "here are ignored.")
    public record Request(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "qwen3:latest",
                    description = "A chat model id of GET /v1/models") String model,
            @Schema(requiredMode = RequiredMode.REQUIRED, ref = "#/components/schemas/ResponsesInput") Object input,
            @Schema(nullable = true, description = "This request's system message (not carried over by "
                    + "previous_response_id, as at OpenAI)") String instructions,
            @Schema(nullable = true, description = "Continues a stored response of this account")
            String previousResponseId,
            @Schema(defaultValue = "true", description = "Keep the response and its conversation for "
                    + "tollgate.responses.ttl (30 days by default)") Boolean store,
            @Schema(defaultValue = "false", description = "Server-sent events (`event:` and `data:` lines)")
            Boolean stream,
            @Schema(nullable = true, minimum = "1", description = "The output bound; the hold is priced on it")
            Integer maxOutputTokens,
            @ArraySchema(arraySchema = @Schema(nullable = true, description = "Function tools {type: function, name, "
                    + "description, parameters, strict}"),
                    schema = @Schema(type = "object", additionalProperties = AdditionalPropertiesValue.TRUE))
            @Nullable List<Map<String, Object>> tools,
            @Schema(ref = "#/components/schemas/ResponsesToolChoice") Object toolChoice,
            @Schema(type = "object", additionalProperties = AdditionalPropertiesValue.TRUE, nullable = true,
                    description = "format json_schema or json_object becomes the chat response_format")
            Map<String, Object> text,
            @Schema(type = "object", additionalProperties = AdditionalPropertiesValue.TRUE, nullable = true,
                    description = "effort becomes reasoning_effort") Map<String, Object> reasoning,
            @Nullable Double temperature,
            @Nullable Double topP,
            @Nullable Boolean parallelToolCalls,
            @Nullable String user,
            @Schema(type = "object", additionalProperties = AdditionalPropertiesValue.TRUE, nullable = true,
                    description = "Echoed in the response") Map<String, Object> metadata) {
    }

    @Schema(name = "Response", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "OpenAI's response object, with the request's settings echoed (instructions, "
                    + "max_output_tokens, metadata, tools, text...), and Tollgate's billing summary")
    public record Response(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "resp_...") String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = "response") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED) long createdAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"completed", "incomplete", "failed",
                "in_progress"}) String status,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, type = "object",
                    additionalProperties = AdditionalPropertiesValue.TRUE) Map<String, Object> error,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, type = "object",
                    additionalProperties = AdditionalPropertiesValue.TRUE,
                    description = "reason max_output_tokens or content_filter") Map<String, Object> incompleteDetails,
            @Schema(requiredMode = RequiredMode.REQUIRED) String model,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<OutputItem> output,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "false when asked but not stored (a "
                    + "conversation over about 380 KB)") boolean store,
            @Nullable Usage usage,
            @Nullable ChatSchemas.Billing tollgate) {
    }

    @Schema(name = "ResponsesOutputItem", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "A reasoning item (summary_text parts), a message item (one output_text part), or a "
                    + "function_call item (id fc_<call_id>, call_id, name, arguments)")
    public record OutputItem(
            @Schema(requiredMode = RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"reasoning", "message", "function_call"})
            String type,
            @Schema(description = "message and function_call") String status) {
    }

    @Schema(name = "ResponsesUsage")
    public record Usage(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Cached tokens included") long inputTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "{\"cached_tokens\": 0}")
            Map<String, Long> inputTokensDetails,
            @Schema(requiredMode = RequiredMode.REQUIRED) long outputTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "{\"reasoning_tokens\": 0}")
            Map<String, Long> outputTokensDetails,
            @Schema(requiredMode = RequiredMode.REQUIRED) long totalTokens,
            @Schema(example = "0.000014", description = "USD charged, six decimals") String cost) {
    }

    @Schema(name = "ResponsesStreamEvent", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "One server-sent event: response.created, response.in_progress, "
                    + "response.output_item.added, response.content_part.added, response.output_text.delta/.done, "
                    + "response.reasoning_summary_text.delta, response.function_call_arguments.delta/.done, "
                    + "response.content_part.done, response.output_item.done, then response.completed "
                    + "(response.incomplete at max_output_tokens). A stream that fails after the 200 ends with "
                    + "response.failed carrying what was charged.")
    public record StreamEvent(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "response.output_text.delta") String type,
            @Schema(requiredMode = RequiredMode.REQUIRED) long sequenceNumber) {
    }

    @Schema(name = "DeletedResponse")
    public record Deleted(
            @Schema(requiredMode = RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = "response") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "boolean", allowableValues = "true") boolean deleted) {
    }
}
