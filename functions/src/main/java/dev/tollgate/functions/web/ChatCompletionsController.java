package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.chat.ChatCompletionService;
import dev.tollgate.chat.ChatOutcome;
import dev.tollgate.metrics.Endpoint;
import dev.tollgate.openai.SpendControls;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.functions.web.openapi.ChatSchemas;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.money.Money;
import dev.tollgate.windows.CreditHeaders;
import dev.tollgate.windows.WindowUsage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
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
import java.util.List;

/**
 * POST /v1/chat/completions, the internal format itself: buffered bodies and stream frames go out as the chat path
 * made them (see {@link SseResponses}).
 */
@Controller("/v1")
@RateLimited
@Tag(name = ApiDocument.INFERENCE)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.BadRequest
@ApiErrors.KeyRequired
@ApiErrors.Metered
public class ChatCompletionsController {

    private final ChatCompletionService chat;
    private final ObjectMapper json;

    public ChatCompletionsController(ChatCompletionService chat, ObjectMapper json) {
        this.chat = chat;
        this.json = json;
    }

    /**
     * Any content type is read as JSON: curl's default form type should not turn a valid body into a 415. The body
     * is taken as bytes, so that the upstream gets what the caller sent; an absent one reads as empty (the service's
     * 400), by a default value rather than {@code @Nullable}, which Micronaut's compiler flags on a primitive array.
     */
    @Post("/chat/completions")
    @Idempotent
    @ApiErrors.IdempotencyKey
    @Consumes(MediaType.ALL)
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "createChatCompletion", summary = "Create a chat completion, buffered or streamed",
            description = "The model's price is charged per token; before the upstream is called, the most the "
                    + "request may cost is held from the balance (403 insufficient_quota if it cannot be).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ChatSchemas.Request.class)))
    @ApiResponse(responseCode = "200", description = "The completion (JSON), or with stream: true a stream of "
            + "server-sent events",
            headers = {
                @Header(name = "x-request-id", schema = @Schema(type = "string")),
                @Header(name = "x-tollgate-balance-usd", schema = @Schema(type = "string"), description = "The balance "
                        + "after this request; on a stream, with the whole hold taken (the last chunk has the settled "
                        + "balance)"),
                @Header(name = "x-tollgate-balance-micros", schema = @Schema(type = "integer", format = "int64")),
                @Header(name = "x-tollgate-cost-usd", schema = @Schema(type = "string"), description = "Buffered only"),
                @Header(name = SpendControls.CLAMPED_HEADER, schema = @Schema(type = "integer"), description = "The "
                        + "output bound sent upstream when afford mode or the cost ceiling lowered it")
            },
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = ChatSchemas.Completion.class)),
                @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(implementation = ChatSchemas.Chunk.class))
            })
    public HttpResponse<?> complete(@Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body,
                                    @RequestAttribute(AuthFilter.KEY) ApiKey key,
                                    @RequestBean SpendParams spend,
                                    @Parameter(hidden = true) @Nullable
                                    @RequestAttribute(IdempotencyFilter.REQUEST_ID) String requestId,
                                    @Parameter(hidden = true) @Nullable
                                    @io.micronaut.http.annotation.Header(LambdaDeadline.HEADER) String lambdaContext) {
        if (spend.isDryRun()) {
            return SpendParams.quote(json, chat.quote(key, body, spend.headers()));
        }
        ChatOutcome outcome = chat.complete(key, body, LambdaDeadline.parse(lambdaContext), spend.headers(),
                Endpoint.CHAT, requestId);
        return switch (outcome) {
            case ChatOutcome.Buffered buffered -> SseResponses.buffered(buffered, buffered.body());
            case ChatOutcome.Streaming streaming -> SseResponses.stream(streaming, sink -> sink);
        };
    }


    /** Balance headers on every money-moving response. */
    static final class BalanceHeaders {
        private BalanceHeaders() {
        }

        /** {@code balance} is null when the settlement was deferred to the reconciler: no balance header then. */
        static <T> MutableHttpResponse<T> add(MutableHttpResponse<T> response, String requestId, Money balance) {
            response.header("x-request-id", requestId);
            if (balance == null) {
                return response;
            }
            return response.header("x-tollgate-balance-usd", balance.toDollars())
                    .header("x-tollgate-balance-micros", Long.toString(balance.micros()));
        }

        /** The spend windows' credit headers ({@code X-RateLimit-<Window>-*-Credits}, {@code -Reset}), if any apply. */
        static <T> MutableHttpResponse<T> credits(MutableHttpResponse<T> response, List<WindowUsage> windows) {
            CreditHeaders.of(windows).forEach(response::header);
            return response;
        }
    }
}
