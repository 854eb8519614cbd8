package dev.tollgate.functions.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.chat.ChatCompletionService;
import dev.tollgate.chat.ChatOutcome;
import dev.tollgate.inbound.anthropic.FromMessagesRequest;
import dev.tollgate.inbound.anthropic.MessagesStreamEncoder;
import dev.tollgate.inbound.anthropic.ToMessagesResponse;
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

/**
 * Anthropic's Messages API: POST /v1/messages and /v1/messages/count_tokens, served by the chat path after
 * translation (any catalog chat model). {@code anthropic-version} is accepted and not needed: there is one version
 * of this translation. Errors on these routes are rewritten into Anthropic's envelope by {@link AnthropicErrorFilter}.
 */
@Controller("/v1")
@RateLimited
public class MessagesController {

    private final ChatCompletionService chat;
    private final ObjectMapper json;

    public MessagesController(ChatCompletionService chat, ObjectMapper json) {
        this.chat = chat;
        this.json = json;
    }

    @Post("/messages")
    @Consumes(MediaType.ALL)
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> create(@Nullable @Body byte[] body, @RequestAttribute(AuthFilter.KEY) ApiKey key,
                                  @Nullable @Header(LambdaDeadline.HEADER) String lambdaContext) {
        ObjectNode internal = FromMessagesRequest.map(body, json, false);
        String model = internal.get("model").asText();
        ChatOutcome outcome = chat.complete(key, bytes(internal), LambdaDeadline.parse(lambdaContext));
        return switch (outcome) {
            case ChatOutcome.Buffered buffered -> SseResponses.buffered(buffered,
                    bytes(ToMessagesResponse.map(read(buffered.body()), buffered.requestId())));
            case ChatOutcome.Streaming streaming -> SseResponses.stream(streaming,
                    sink -> new MessagesStreamEncoder(sink, streaming.requestId(), model));
        };
    }

    /** Tollgate's own prompt estimate, the one the hold is sized on; nothing is charged. */
    @Post("/messages/count_tokens")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> countTokens(@Nullable @Body byte[] body, @RequestAttribute(AuthFilter.KEY) ApiKey key) {
        ObjectNode internal = FromMessagesRequest.map(body, json, true);
        int tokens = chat.promptTokens(key, bytes(internal));
        return Json.ok(json.createObjectNode().put("input_tokens", tokens).toString());
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
