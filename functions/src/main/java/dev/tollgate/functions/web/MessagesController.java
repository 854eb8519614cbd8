package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.chat.ChatCompletionService;
import dev.tollgate.chat.ChatOutcome;
import dev.tollgate.inbound.anthropic.FromMessagesRequest;
import dev.tollgate.inbound.anthropic.MessagesStreamEncoder;
import dev.tollgate.inbound.anthropic.ToMessagesResponse;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.functions.web.openapi.AnthropicApiErrors;
import dev.tollgate.functions.web.openapi.AnthropicErrorBody;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.MessagesSchemas;
import dev.tollgate.metrics.Endpoint;
import dev.tollgate.upstream.JsonTrees;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Anthropic's Messages API: POST /v1/messages and /v1/messages/count_tokens, served by the chat path after
 * translation (any catalog chat model). {@code anthropic-version} is accepted and not needed: there is one version
 * of this translation. Errors on these routes are rewritten into Anthropic's envelope by {@link AnthropicErrorFilter}.
 */
@Controller("/v1")
@RateLimited
@Tag(name = ApiDocument.INFERENCE)
@SecurityRequirement(name = ApiDocument.API_KEY)
@SecurityRequirement(name = ApiDocument.API_KEY_HEADER)
@AnthropicApiErrors.BadRequest
@AnthropicApiErrors.KeyRequired
public class MessagesController {

    private final ChatCompletionService chat;
    private final ObjectMapper json;

    public MessagesController(ChatCompletionService chat, ObjectMapper json) {
        this.chat = chat;
        this.json = json;
    }

    @Post("/messages")
    @Idempotent
    @AnthropicApiErrors.IdempotencyKey
    @Consumes(MediaType.ALL)
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "createMessage", summary = "Create a message (Anthropic's Messages API), buffered or "
            + "streamed",
            description = "Translated to a chat completion and billed as one: the most the request may cost is held "
                    + "first (403 permission_error if it cannot be). Errors are in Anthropic's envelope. The "
                    + "anthropic-version header is accepted and not needed.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MessagesSchemas.Request.class)))
    @ApiResponse(responseCode = "200", description = "The message (JSON), or with stream: true a stream of "
            + "server-sent events in Anthropic's sequence",
            headers = {
                @Header(name = "x-request-id", schema = @Schema(type = "string")),
                @Header(name = "x-tollgate-balance-usd", schema = @Schema(type = "string"), description = "The balance "
                        + "after this request; on a stream, with the whole hold taken (message_delta has the settled "
                        + "usage)"),
                @Header(name = "x-tollgate-balance-micros", schema = @Schema(type = "integer", format = "int64")),
                @Header(name = "x-tollgate-cost-usd", schema = @Schema(type = "string"), description = "Buffered only")
            },
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = MessagesSchemas.Response.class)),
                @Content(mediaType = MediaType.TEXT_EVENT_STREAM,
                        schema = @Schema(implementation = MessagesSchemas.StreamEvent.class))
            })
    @AnthropicApiErrors.Metered
    public HttpResponse<?> create(@Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body,
                                  @RequestAttribute(AuthFilter.KEY) ApiKey key,
                                  @RequestBean SpendParams spend,
                                  @Parameter(hidden = true) @Nullable
                                  @RequestAttribute(IdempotencyFilter.REQUEST_ID) String requestId,
                                  @Parameter(hidden = true) @Nullable
                                  @io.micronaut.http.annotation.Header(LambdaDeadline.HEADER) String lambdaContext) {
        ObjectNode internal = FromMessagesRequest.map(body, json, false);
        String model = internal.get("model").asText();
        if (spend.isDryRun()) {
            return SpendParams.quote(json, chat.quote(key, JsonTrees.bytes(internal), spend.headers()));
        }
        ChatOutcome outcome = chat.complete(key, JsonTrees.bytes(internal), LambdaDeadline.parse(lambdaContext),
                spend.headers(),
                Endpoint.MESSAGES, requestId);
        return switch (outcome) {
            case ChatOutcome.Buffered buffered -> SseResponses.buffered(buffered,
                    JsonTrees.bytes(ToMessagesResponse.map(read(buffered.body()), buffered.requestId())));
            case ChatOutcome.Streaming streaming -> SseResponses.stream(streaming,
                    sink -> new MessagesStreamEncoder(sink, streaming.requestId(), model));
        };
    }

    /** Tollgate's own prompt estimate, the one the hold is sized on; nothing is charged. */
    @Post("/messages/count_tokens")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "countMessageTokens", summary = "Count a message request's input tokens (free)",
            description = "The prompt estimate the hold of the same request would be sized on; nothing is charged "
                    + "and no upstream is called.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MessagesSchemas.CountTokensRequest.class)))
    @ApiResponse(responseCode = "200", description = "The estimate",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = MessagesSchemas.TokenCount.class)))
    @ApiResponse(responseCode = "403", description = "permission_error: the key's model list excludes the model "
            + "(model_not_allowed), or routing refused the request as a completion would be",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AnthropicErrorBody.class)))
    @ApiResponse(responseCode = "404", description = "not_found_error: the model is not in the catalog",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AnthropicErrorBody.class)))
    @ApiResponse(responseCode = "429", description = "rate_limit_error: the key's rpm_limit",
            headers = @Header(name = "Retry-After", description = "Seconds to wait",
                    schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AnthropicErrorBody.class)))
    public HttpResponse<?> countTokens(@Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body,
                                       @RequestAttribute(AuthFilter.KEY) ApiKey key) {
        ObjectNode internal = FromMessagesRequest.map(body, json, true);
        int tokens = chat.promptTokens(key, JsonTrees.bytes(internal));
        return Json.ok(json.createObjectNode().put("input_tokens", tokens).toString());
    }

    private JsonNode read(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
