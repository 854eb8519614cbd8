package dev.tollgate.functions.web;

import dev.tollgate.chat.ChatCompletionService;
import dev.tollgate.chat.ChatOutcome;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.money.Money;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * POST /v1/chat/completions, the internal format itself: buffered bodies and stream frames go out as the chat path
 * made them (see {@link SseResponses}).
 */
@Controller("/v1")
@RateLimited
public class ChatCompletionsController {

    private final ChatCompletionService chat;

    public ChatCompletionsController(ChatCompletionService chat) {
        this.chat = chat;
    }

    /** Any content type is read as JSON: curl's default form type should not turn a valid body into a 415. */
    @Post("/chat/completions")
    @Consumes(MediaType.ALL)
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> complete(@Nullable @Body byte[] body, @RequestAttribute(AuthFilter.KEY) ApiKey key,
                                    @Nullable @Header(LambdaDeadline.HEADER) String lambdaContext) {
        ChatOutcome outcome = chat.complete(key, body, LambdaDeadline.parse(lambdaContext));
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
    }
}
