package dev.tollgate.embeddings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.billing.Reservation;
import dev.tollgate.billing.Settlement;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.chat.UpstreamRouter;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.openai.SpendControls;
import dev.tollgate.upstream.ChatProvider;
import dev.tollgate.upstream.EmbeddingProvider;
import dev.tollgate.upstream.UpstreamException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import dev.tollgate.telemetry.AttemptSpan;

/**
 * The upstream path: the caller's body goes up as it is, with only {@code model} changed; the cost is known
 * only from the upstream's usage, so the estimated cost is held first and settled after, as for chat. A
 * failure before the answer settles at zero.
 */
final class UpstreamEmbeddings {

    private final UpstreamRouter router;
    private final TokenCounter tokens;
    private final RequestBilling billing;
    private final ObjectMapper json;

    UpstreamEmbeddings(UpstreamRouter router, TokenCounter tokens, RequestBilling billing, ObjectMapper json) {
        this.router = router;
        this.tokens = tokens;
        this.billing = billing;
        this.json = json;
    }

    EmbeddingOutcome embed(ApiKey caller, EmbeddingRequest request, ModelEntry model, String requestId,
                           SpendControls controls) {
        ObjectNode body = toUpstream(request, model);
        long estimate = estimate(request, model);
        Money hold = model.pricing().cost(estimate, 0);
        if (controls.maxCost() != null && hold.compareTo(controls.maxCost()) > 0) {
            throw controls.exceeded(hold, "about " + estimate + " input tokens of " + model.id());
        }
        // The upstream may count more tokens than the estimate: the ceiling caps the charge whatever it reports.
        Reservation reservation = billing.reserve(caller, model.id(), requestId, hold, estimate, false)
                .withCeiling(controls.maxCost()).withEndpoint(dev.tollgate.metrics.Endpoint.EMBEDDINGS);
        ObjectNode response;
        UpstreamRouter.Answer<byte[]> answer = null;
        try {
            // One model, no fallbacks: another model's vectors would live in a different space.
            answer = router.call(List.of(model), "embeddings", m -> -1,
                    (provider, m) -> embeddings(provider, m).embeddings(body));
            response = EmbeddingWire.fromUpstream(answer.value(), request.format(), json, model.id());
        } catch (RuntimeException e) {
            if (answer != null) {
                answer.span().failed("bad_answer");
            }
            billing.settle(reservation, model.id(), model.pricing(), TokenUsage.NONE, "upstream_error");
            throw dev.tollgate.error.ApiException.withRequestId(e, requestId);
        }
        TokenUsage usage = TokenUsage.fromOpenAi(response.get("usage"));
        if (usage == null) {
            usage = new TokenUsage(estimate, 0, 0, 0, true);
        }
        Settlement settlement = billing.settle(reservation, model.id(), model.pricing(), usage, "ok");
        answer.span().answered(new AttemptSpan.Answer(null, null, usage.promptTokens(), -1, List.of(), "ok"));
        response.put("model", model.id());
        EmbeddingWire.putUsage(response, usage, settlement, requestId);
        return new EmbeddingOutcome(requestId, response.toString().getBytes(StandardCharsets.UTF_8), settlement);
    }

    /**
     * The caller's body with the upstream's model name. A {@code dimensions} equal to the model's own length is
     * dropped for models that do not support it, so upstreams that reject the field still answer.
     */
    static ObjectNode toUpstream(EmbeddingRequest request, ModelEntry model) {
        ObjectNode body = request.body().deepCopy();
        body.put("model", model.upstreamModel());
        body.remove(SpendControls.BODY_FIELDS);
        if (request.dimensions() != null && !model.embedding().supportsDimensions()) {
            body.remove("dimensions");
        }
        return body;
    }

    /** Tokens estimated with a real BPE tokenizer (the model's own may differ): sizes the hold, and bills a missing usage. */
    long estimate(EmbeddingRequest request, ModelEntry model) {
        long total = 0;
        for (EmbeddingInput input : request.inputs()) {
            total += switch (input) {
                case EmbeddingInput.Text text -> Math.max(1, tokens.count(model.tokenizer(), text.text()));
                case EmbeddingInput.Tokens ids -> ids.ids().length;
            };
        }
        return total;
    }

    private static EmbeddingProvider embeddings(ChatProvider provider, ModelEntry model) throws UpstreamException {
        if (provider instanceof EmbeddingProvider embeddings) {
            return embeddings;
        }
        throw new UpstreamException(UpstreamException.Kind.PROTOCOL, model.upstream(), 0, "",
                "upstream " + model.upstream() + " does not serve embeddings", null);
    }
}
