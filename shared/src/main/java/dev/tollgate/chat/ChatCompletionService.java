package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.billing.Reservation;
import dev.tollgate.billing.Settlement;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.openai.ChatRequest;
import dev.tollgate.upstream.UpstreamStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * POST /v1/chat/completions: validate → resolve model → hold → call upstream (with fallbacks) →
 * meter → settle. Buffered responses are settled before they are returned; streams settle when the
 * relay ends, whichever way it ends.
 */
public final class ChatCompletionService {

    private final ModelResolver models;
    private final UpstreamRouter router;
    private final TokenCounter tokens;
    private final RequestBilling billing;
    private final ObjectMapper json;
    private final StreamSettings streamSettings;
    private final Executor relayExecutor;
    private final ScheduledExecutorService timer;

    /**
     * @param relayExecutor runs one blocking relay loop per stream; must start a new (virtual) thread
     *                      per task, because a cancelled relay interrupts its thread
     */
    public ChatCompletionService(ModelResolver models, UpstreamRouter router, TokenCounter tokens,
                                 RequestBilling billing, ObjectMapper json, StreamSettings streamSettings,
                                 Executor relayExecutor, ScheduledExecutorService timer) {
        this.models = models;
        this.router = router;
        this.tokens = tokens;
        this.billing = billing;
        this.json = json;
        this.streamSettings = streamSettings;
        this.relayExecutor = relayExecutor;
        this.timer = timer;
    }

    public ChatOutcome complete(ApiKey caller, byte[] body) {
        ChatRequest request = ChatRequest.parse(body, json);
        ModelEntry model = models.resolveChat(caller, request.model());
        List<ModelEntry> route = models.route(model);
        int promptTokens = tokens.countPrompt(model.tokenizer(), request.messages(), request.tools());
        int maxOutput = outputBound(request, model, promptTokens);
        Money maxCost = route.stream()
                .map(m -> m.pricing().cost(promptTokens, maxOutput))
                .max(Money::compareTo).orElseThrow();
        String requestId = Ids.newId("req");
        Reservation reservation = billing.reserve(caller, model.id(), requestId, maxCost);
        try {
            return request.stream()
                    ? stream(request, route, reservation, promptTokens, maxOutput)
                    : buffered(request, route, reservation, promptTokens, maxOutput);
        } catch (RuntimeException e) {
            releaseUnused(reservation, model);
            throw e;
        }
    }

    private ChatOutcome buffered(ChatRequest request, List<ModelEntry> route, Reservation reservation,
                                 int promptTokens, int maxOutput) {
        UpstreamRouter.Answer<byte[]> answer = router.call(route,
                (provider, m) -> provider.chat(ChatWire.toUpstream(request, m, maxOutput)));
        ModelEntry served = answer.model();
        ObjectNode response = parseResponse(answer.value(), served);
        TokenUsage usage = TokenUsage.fromOpenAi(response.get("usage"));
        if (usage == null) {
            usage = new TokenUsage(promptTokens, tokens.count(served.tokenizer(), ChatWire.completionText(response)), 0, 0, true);
        }
        Settlement settlement = billing.settle(reservation, served.id(), served.pricing(), usage, "ok");
        response.put("model", served.id());
        ChatWire.putUsage(response, usage, settlement, reservation.requestId());
        return new ChatOutcome.Buffered(reservation.requestId(), response.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), settlement);
    }

    private ChatOutcome stream(ChatRequest request, List<ModelEntry> route, Reservation reservation,
                               int promptTokens, int maxOutput) {
        UpstreamRouter.Answer<UpstreamStream> answer = router.call(route,
                (provider, m) -> provider.stream(ChatWire.toUpstream(request, m, maxOutput)));
        ModelEntry served = answer.model();
        StreamRelay relay = new StreamRelay(answer.value(), json, served.id(), reservation.requestId(),
                request.wantsUsageChunk(), promptTokens,
                text -> tokens.count(served.tokenizer(), text),
                (usage, end) -> billing.settle(reservation, served.id(), served.pricing(), usage, end.status()),
                streamSettings, router.idleTimeout(served), relayExecutor, timer);
        Money balance = billing.balanceFor(reservation);
        return new ChatOutcome.Streaming(reservation.requestId(), relay, balance);
    }

    private ObjectNode parseResponse(byte[] body, ModelEntry served) {
        try {
            JsonNode node = json.readTree(body);
            if (node instanceof ObjectNode object && object.has("choices")) {
                return object;
            }
        } catch (IOException e) {
            // falls through to the protocol error below
        }
        throw new ApiException(ErrorCode.UPSTREAM_FAILED, "The upstream for model " + served.id()
                + " answered with something that is not a chat completion. Retry later or use another model.");
    }

    /** The caller's bound clamped to the model's cap and to what fits in the context window. */
    private static int outputBound(ChatRequest request, ModelEntry model, int promptTokens) {
        int room = model.contextLength() - promptTokens;
        if (room < 1) {
            throw ApiException.invalid("messages", "This model's maximum context length is " + model.contextLength()
                    + " tokens, but the messages are about " + promptTokens + " tokens. Shorten the messages.");
        }
        int requested = request.requestedMaxTokens();
        int cap = Math.min(model.maxOutputTokens(), room);
        return requested > 0 ? Math.min(requested, cap) : cap;
    }

    private void releaseUnused(Reservation reservation, ModelEntry model) {
        // Nothing reached the caller: the upstream failed before the first byte. No charge.
        billing.settle(reservation, model.id(), model.pricing(), TokenUsage.NONE, "upstream_error");
    }
}
