package dev.tollgate.functions.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.chat.ChatCompletionService;
import dev.tollgate.chat.ChatOutcome;
import dev.tollgate.inbound.completions.CompletionStreamEncoder;
import dev.tollgate.inbound.completions.FromCompletionRequest;
import dev.tollgate.inbound.completions.ToCompletion;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.functions.web.openapi.CompletionsSchemas;
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

/** Legacy POST /v1/completions: the prompt is served by the chat path as one user message, billed identically. */
@Controller("/v1")
@RateLimited
@Tag(name = ApiDocument.INFERENCE)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.BadRequest
@ApiErrors.KeyRequired
@ApiErrors.Metered
public class CompletionsController {

    private final ChatCompletionService chat;
    private final ObjectMapper json;

    public CompletionsController(ChatCompletionService chat, ObjectMapper json) {
        this.chat = chat;
        this.json = json;
    }

    @Post("/completions")
    @Idempotent
    @ApiErrors.IdempotencyKey
    @Consumes(MediaType.ALL)
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "createCompletion", summary = "Create a legacy text completion, buffered or streamed",
            description = "The prompt is served by a chat model as one user message and billed as a chat "
                    + "completion: the most the request may cost is held first (403 insufficient_quota if it cannot "
                    + "be).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CompletionsSchemas.Request.class)))
    @ApiResponse(responseCode = "200", description = "The completion (JSON), or with stream: true a stream of "
            + "server-sent events",
            headers = {
                @Header(name = "x-request-id", schema = @Schema(type = "string")),
                @Header(name = "x-tollgate-balance-usd", schema = @Schema(type = "string"), description = "The balance "
                        + "after this request; on a stream, with the whole hold taken (the last chunk has the settled "
                        + "balance)"),
                @Header(name = "x-tollgate-balance-micros", schema = @Schema(type = "integer", format = "int64")),
                @Header(name = "x-tollgate-cost-usd", schema = @Schema(type = "string"), description = "Buffered only")
            },
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = CompletionsSchemas.Completion.class)),
                @Content(mediaType = MediaType.TEXT_EVENT_STREAM,
                        schema = @Schema(implementation = CompletionsSchemas.Completion.class))
            })
    public HttpResponse<?> complete(@Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body,
                                    @RequestAttribute(AuthFilter.KEY) ApiKey key,
                                    @RequestBean SpendParams spend,
                                    @Parameter(hidden = true) @Nullable
                                    @RequestAttribute(IdempotencyFilter.REQUEST_ID) String requestId,
                                    @Parameter(hidden = true) @Nullable
                                    @io.micronaut.http.annotation.Header(LambdaDeadline.HEADER) String lambdaContext) {
        byte[] internal;
        try {
            internal = json.writeValueAsBytes(FromCompletionRequest.map(body, json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (spend.isDryRun()) {
            return SpendParams.quote(json, chat.quote(key, internal, spend.headers()));
        }
        ChatOutcome outcome = chat.complete(key, internal, LambdaDeadline.parse(lambdaContext),
                spend.headers(),
                Endpoint.COMPLETIONS, requestId);
        return switch (outcome) {
            case ChatOutcome.Buffered buffered -> SseResponses.buffered(buffered,
                    JsonTrees.bytes(ToCompletion.response(read(buffered.body()), buffered.requestId())));
            case ChatOutcome.Streaming streaming -> SseResponses.stream(streaming,
                    sink -> new CompletionStreamEncoder(sink, streaming.requestId()));
        };
    }

    private JsonNode read(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
