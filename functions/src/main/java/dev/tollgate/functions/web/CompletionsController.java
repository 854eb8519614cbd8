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
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Legacy POST /v1/completions: the prompt is served by the chat path as one user message, billed identically. */
@Controller("/v1")
@RateLimited
public class CompletionsController {

    private final ChatCompletionService chat;
    private final ObjectMapper json;

    public CompletionsController(ChatCompletionService chat, ObjectMapper json) {
        this.chat = chat;
        this.json = json;
    }

    @Post("/completions")
    @Consumes(MediaType.ALL)
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> complete(@Nullable @Body byte[] body, @RequestAttribute(AuthFilter.KEY) ApiKey key,
                                    @Nullable @Header(LambdaDeadline.HEADER) String lambdaContext) {
        byte[] internal;
        try {
            internal = json.writeValueAsBytes(FromCompletionRequest.map(body, json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ChatOutcome outcome = chat.complete(key, internal, LambdaDeadline.parse(lambdaContext));
        return switch (outcome) {
            case ChatOutcome.Buffered buffered -> SseResponses.buffered(buffered,
                    ToCompletion.response(read(buffered.body()), buffered.requestId()).toString().getBytes(
                            java.nio.charset.StandardCharsets.UTF_8));
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
