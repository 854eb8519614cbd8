package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.chat.ChatCompletionService;
import dev.tollgate.chat.ChatOutcome;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.functions.web.openapi.ErrorBody;
import dev.tollgate.functions.web.openapi.ResponsesSchemas;
import dev.tollgate.inbound.responses.FromResponsesRequest;
import dev.tollgate.inbound.responses.ResponseObject;
import dev.tollgate.inbound.responses.ResponseStore;
import dev.tollgate.inbound.responses.ResponsesRequest;
import dev.tollgate.inbound.responses.ResponsesStreamEncoder;
import dev.tollgate.inbound.responses.ToResponsesResponse;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.metrics.Endpoint;
import dev.tollgate.upstream.JsonTrees;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
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
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAI's Responses API: POST /v1/responses served by the chat path after translation, and the stored responses
 * ({@code store}, default true) behind {@code previous_response_id}, GET and DELETE /v1/responses/{id}, kept
 * {@code tollgate.responses.ttl} (30 days by default) and only for the account that made them.
 */
@Controller("/v1")
@RateLimited
@Tag(name = ApiDocument.INFERENCE)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.KeyRequired
public class ResponsesController {

    private static final Logger LOG = LoggerFactory.getLogger(ResponsesController.class);

    private final ChatCompletionService chat;
    private final ResponseStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration ttl;

    public ResponsesController(ChatCompletionService chat, ResponseStore store, ObjectMapper json, Clock clock,
                               @Value("${tollgate.responses.ttl:30d}") Duration ttl) {
        this.chat = chat;
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Post("/responses")
    @Idempotent
    @ApiErrors.IdempotencyKey
    @Consumes(MediaType.ALL)
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "createResponse", summary = "Create a model response (OpenAI's Responses API), "
            + "buffered or streamed",
            description = "Translated to a chat completion and billed as one: the most the request may cost is held "
                    + "first (403 insufficient_quota if it cannot be). With store (the default) the response is kept "
                    + "for previous_response_id, GET and DELETE.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ResponsesSchemas.Request.class)))
    @ApiResponse(responseCode = "200", description = "The response (JSON), or with stream: true a stream of "
            + "server-sent events",
            headers = {
                @Header(name = "x-request-id", schema = @Schema(type = "string")),
                @Header(name = "x-tollgate-balance-usd", schema = @Schema(type = "string"), description = "The balance "
                        + "after this request; on a stream, with the whole hold taken (response.completed has the "
                        + "settled usage)"),
                @Header(name = "x-tollgate-balance-micros", schema = @Schema(type = "integer", format = "int64")),
                @Header(name = "x-tollgate-cost-usd", schema = @Schema(type = "string"), description = "Buffered only")
            },
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = ResponsesSchemas.Response.class)),
                @Content(mediaType = MediaType.TEXT_EVENT_STREAM,
                        schema = @Schema(implementation = ResponsesSchemas.StreamEvent.class))
            })
    @ApiResponse(responseCode = "404", description = "model_not_found: the model is not in the catalog; not_found: "
            + "no stored response of this account has the previous_response_id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErrorBody.class)))
    @ApiErrors.BadRequest
    @ApiErrors.Metered
    public HttpResponse<?> create(@Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body,
                                  @RequestAttribute(AuthFilter.KEY) ApiKey key,
                                  @RequestBean SpendParams spend,
                                  @Parameter(hidden = true) @Nullable
                                  @RequestAttribute(IdempotencyFilter.REQUEST_ID) String requestId,
                                  @Parameter(hidden = true) @Nullable
                                  @io.micronaut.http.annotation.Header(LambdaDeadline.HEADER) String lambdaContext) {
        ResponsesRequest request = FromResponsesRequest.map(body, json);
        ArrayNode history = null;
        if (request.previousResponseId() != null) {
            history = store.find(key.accountId(), request.previousResponseId()).orElseThrow(() -> new ApiException(
                    ErrorCode.NOT_FOUND, "Previous response with id '" + request.previousResponseId() + "' not found. "
                    + "Responses are kept " + ttl.toDays() + " days, and only when created with store: true.",
                    "previous_response_id")).conversation();
        }
        ObjectNode internal = request.internalWith(history);
        long createdAt = clock.instant().getEpochSecond();
        if (spend.isDryRun()) {
            return SpendParams.quote(json, chat.quote(key, JsonTrees.bytes(internal), spend.headers())); // nothing is stored either
        }
        ChatOutcome outcome = chat.complete(key, JsonTrees.bytes(internal), LambdaDeadline.parse(lambdaContext),
                spend.headers(),
                Endpoint.RESPONSES, requestId);
        ArrayNode before = history;
        return switch (outcome) {
            case ChatOutcome.Buffered buffered -> {
                ObjectNode response = ToResponsesResponse.map(read(buffered.body()), buffered.requestId(), createdAt,
                        request.echo());
                keep(key, request, before, response);
                yield SseResponses.buffered(buffered, JsonTrees.bytes(response));
            }
            case ChatOutcome.Streaming streaming -> SseResponses.stream(streaming,
                    sink -> new ResponsesStreamEncoder(sink, streaming.requestId(), createdAt,
                            internal.get("model").asText(), request.echo(), response -> keep(key, request, before, response)));
        };
    }

    @Get("/responses/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "getResponse", summary = "A stored response of the caller's account")
    @ApiResponse(responseCode = "200", description = "The response as it was answered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ResponsesSchemas.Response.class)))
    @ApiErrors.NotFound
    @ApiErrors.RpmLimited
    public HttpResponse<?> get(@Parameter(description = "A response id", example = "resp_...")
                               @PathVariable String id, @RequestAttribute(AuthFilter.KEY) ApiKey key) {
        ResponseStore.Stored stored = store.find(key.accountId(), id).orElseThrow(() -> notFound(id));
        return Json.ok(stored.response().toString());
    }

    @Delete("/responses/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "deleteResponse", summary = "Delete a stored response of the caller's account",
            description = "It can no longer be continued with previous_response_id.")
    @ApiResponse(responseCode = "200", description = "Deleted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ResponsesSchemas.Deleted.class)))
    @ApiErrors.NotFound
    @ApiErrors.RpmLimited
    public HttpResponse<?> delete(@Parameter(description = "A response id", example = "resp_...")
                                  @PathVariable String id, @RequestAttribute(AuthFilter.KEY) ApiKey key) {
        if (!store.delete(key.accountId(), id)) {
            throw notFound(id);
        }
        return Json.ok(json.createObjectNode().put("id", id).put("object", "response").put("deleted", true).toString());
    }

    /**
     * Stores a finished response the caller asked to keep. It has been paid for: a failure to store costs the
     * caller its continuation (said in the response's {@code store: false}), never the answer.
     */
    private void keep(ApiKey key, ResponsesRequest request, ArrayNode history, ObjectNode response) {
        if (!request.store()) {
            return;
        }
        boolean stored;
        try {
            stored = store.save(new ResponseStore.Stored(response.get("id").asText(), key.accountId(), response,
                    request.conversation(history, ResponseObject.asChatMessages(response)), clock.instant().plus(ttl)));
        } catch (RuntimeException e) {
            LOG.warn("response {} could not be stored: {}", response.get("id").asText(), e.toString());
            stored = false;
        }
        if (!stored) {
            response.put("store", false);
        }
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.NOT_FOUND, "No response with id '" + id + "' found for this account. "
                + "Responses are stored only with store: true, and expire.", null);
    }

    private JsonNode read(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
