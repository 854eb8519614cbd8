package dev.tollgate.embeddings;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.billing.BalanceStore;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.catalog.EmbeddingSpec;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.chat.Headroom;
import dev.tollgate.chat.ModelResolver;
import dev.tollgate.chat.Quote;
import dev.tollgate.chat.UpstreamRouter;
import dev.tollgate.error.ApiException;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.openai.SpendControls;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * POST /v1/embeddings: validate → resolve the model (404 unknown, 403 outside the key's scope) → check
 * {@code dimensions} → in-process (count, charge, embed) or upstream (hold, call, settle) → respond with the
 * OpenAI list shape plus {@code usage.cost}.
 */
public final class EmbeddingService {

    private final ModelResolver models;
    private final ObjectMapper json;
    private final RequestBilling billing;
    private final Clock clock;
    private final InProcessModels inProcess;
    private final LocalEmbeddings local;
    private final UpstreamEmbeddings upstream;

    /**
     * @param balances  where in-process requests are charged directly (one conditional write each)
     * @param billing   holds and settles upstream requests
     * @param topUpHint where a 403 sends the user to add credit
     */
    public EmbeddingService(ModelResolver models, InProcessModels inProcess, UpstreamRouter router, TokenCounter tokens,
                            RequestBilling billing, BalanceStore balances, String topUpHint, ObjectMapper json, Clock clock) {
        this.models = models;
        this.billing = billing;
        this.json = json;
        this.clock = clock;
        this.inProcess = inProcess;
        this.local = new LocalEmbeddings(inProcess, new PrepaidCharges(balances, topUpHint, billing), clock);
        this.upstream = new UpstreamEmbeddings(router, tokens, billing, json);
    }

    public EmbeddingOutcome embed(ApiKey caller, byte[] body) {
        return embed(caller, body, SpendControls.Headers.NONE, null);
    }

    /**
     * @param headers   the spend controls sent as headers; a cost ceiling refuses inputs that cost more (afford mode
     *                  changes nothing here: embeddings have no output bound to lower)
     * @param requestId the id to bill the request under (an {@code Idempotency-Key}'s), or {@code null} for a new one
     */
    public EmbeddingOutcome embed(ApiKey caller, byte[] body, SpendControls.Headers headers, String requestId) {
        Instant startedAt = clock.instant();
        EmbeddingRequest request = EmbeddingRequest.parse(body, json);
        SpendControls controls = SpendControls.of(request.body(), headers);
        ModelEntry model = models.resolve(caller, request.model(), "embeddings");
        int dimensions = dimensions(request, model);
        String id = requestId == null ? Ids.requestId(startedAt) : requestId;
        return inProcess.serves(model)
                ? local.embed(caller, request, model, dimensions, id, startedAt, controls)
                : upstream.embed(caller, request, model, id, controls);
    }

    /** A dry run: the tokens and cost the request would be charged, and what would refuse it; nothing is charged. */
    public Quote quote(ApiKey caller, byte[] body, SpendControls.Headers headers) {
        EmbeddingRequest request = EmbeddingRequest.parse(body, json);
        SpendControls controls = SpendControls.of(request.body(), headers);
        ModelEntry model = models.resolve(caller, request.model(), "embeddings");
        dimensions(request, model);
        long tokens = inProcess.serves(model) ? local.tokens(request, model) : upstream.estimate(request, model);
        Money cost = model.pricing().cost(tokens, 0);
        ApiException over = controls.maxCost() != null && cost.compareTo(controls.maxCost()) > 0
                ? controls.exceeded(cost, tokens + " input tokens of " + model.id()) : null;
        return new Quote(model.id(), List.of(model.id()), null, tokens, 0, 1, false, cost, model.pricing(), controls,
                over, Headroom.read(billing, caller));
    }

    /** The vector length to return: the model's own unless the model supports shorter ones and one was asked for. */
    private static int dimensions(EmbeddingRequest request, ModelEntry model) {
        EmbeddingSpec spec = model.embedding();
        Integer asked = request.dimensions();
        if (asked == null || asked == spec.dimensions()) {
            return spec.dimensions();
        }
        if (!spec.supportsDimensions()) {
            throw ApiException.invalid("dimensions", "The model " + model.id() + " does not support 'dimensions': it"
                    + " always returns " + spec.dimensions() + "-dimensional vectors. Leave 'dimensions' out, or pick a"
                    + " model that supports it (GET /v1/models).");
        }
        if (asked > spec.dimensions()) {
            throw ApiException.invalid("dimensions", "'dimensions' must be between 1 and " + spec.dimensions()
                    + " for the model " + model.id() + ".");
        }
        return asked;
    }
}
