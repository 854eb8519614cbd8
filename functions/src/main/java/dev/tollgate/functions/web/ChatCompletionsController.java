package dev.tollgate.functions.web;

import dev.tollgate.chat.ChatCompletionService;
import dev.tollgate.chat.ChatOutcome;
import dev.tollgate.chat.FrameSink;
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
import dev.tollgate.windows.CreditHeaders;
import dev.tollgate.windows.WindowUsage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * POST /v1/chat/completions. Streams are written as our own SSE bytes ({@code Publisher<byte[]>} is
 * written verbatim by Micronaut, one flushed chunk per frame); a client disconnect cancels the relay.
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
            case ChatOutcome.Buffered buffered -> BalanceHeaders.credits(BalanceHeaders.add(
                    Json.status(200, buffered.body()), buffered.requestId(), buffered.settlement().balance())
                    .header("x-tollgate-cost-usd", buffered.settlement().charged().toDollars()),
                    buffered.settlement().windows());
            case ChatOutcome.Streaming streaming -> stream(streaming);
        };
    }

    private static MutableHttpResponse<Publisher<byte[]>> stream(ChatOutcome.Streaming streaming) {
        Flux<byte[]> frames = Flux.create((FluxSink<byte[]> sink) -> {
            sink.onCancel(streaming.relay()::cancel);
            streaming.relay().start(new FrameSink() {
                @Override
                public void send(String frame) {
                    sink.next(frame.getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public void complete() {
                    sink.complete();
                }
            });
        });
        MutableHttpResponse<Publisher<byte[]>> response = HttpResponse.ok((Publisher<byte[]>) frames)
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        return BalanceHeaders.credits(BalanceHeaders.add(response, streaming.requestId(), streaming.balanceAtStart()),
                streaming.windowsAtStart());
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
