package dev.tollgate.embeddings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.Charge;
import dev.tollgate.billing.Settlement;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.openai.SpendControls;
import dev.tollgate.upstream.InProcessEmbeddingModel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process path: tokenize with the model's own tokenizer → refuse inputs over the limit → charge the
 * exact cost in one write → run the model → respond. Nothing runs before the money is taken, and a model
 * failure after it gives the money back.
 */
final class LocalEmbeddings {

    /** OpenAI's limit on the tokens of all inputs of one request together. */
    static final int MAX_REQUEST_TOKENS = 300_000;
    private static final Logger LOG = LoggerFactory.getLogger(LocalEmbeddings.class);

    private final InProcessModels models;
    private final PrepaidCharges charges;
    private final Clock clock;

    LocalEmbeddings(InProcessModels models, PrepaidCharges charges, Clock clock) {
        this.models = models;
        this.charges = charges;
        this.clock = clock;
    }

    EmbeddingOutcome embed(ApiKey caller, EmbeddingRequest request, ModelEntry entry, int dimensions,
                           String requestId, Instant startedAt, SpendControls controls) {
        InProcessEmbeddingModel model = models.model(entry.upstreamModel());
        List<long[]> sequences = sequences(request, entry, model);
        long tokens = total(sequences);
        TokenUsage usage = new TokenUsage(tokens, 0, 0, 0, false);
        Money cost = entry.pricing().cost(tokens, 0);
        if (controls.maxCost() != null && cost.compareTo(controls.maxCost()) > 0) {
            throw controls.exceeded(cost, tokens + " input tokens of " + entry.id());
        }
        Instant now = clock.instant();
        Charge charge = new Charge(requestId, caller.accountId(), caller.keyId(), entry.id(), usage, cost, "ok",
                Duration.between(startedAt, now).toMillis(), now, caller.name(), false);
        Settlement settlement = charges.charge(caller, charge);
        List<float[]> vectors;
        try {
            vectors = models.embed(model, sequences);
        } catch (RuntimeException e) {
            LOG.error("request {}: in-process model {} failed after the charge; reversing it", requestId, model.name(), e);
            charges.reverse(caller, charge);
            charges.failed(charge);
            throw new ApiException(ErrorCode.INTERNAL, "The model " + entry.id() + " failed to embed the inputs;"
                    + " you were not charged. Retry, or send fewer inputs.", null,
                    Map.of(ApiException.REQUEST_ID_HEADER, requestId), e);
        }
        if (dimensions < model.dimensions()) {
            vectors = vectors.stream().map(v -> EmbeddingWire.shorten(v, dimensions)).toList();
        }
        ObjectNode response = EmbeddingWire.list(vectors, request.format(), entry.id());
        EmbeddingWire.putUsage(response, usage, settlement, requestId);
        charges.answered(charge, settlement);
        return new EmbeddingOutcome(requestId, response.toString().getBytes(StandardCharsets.UTF_8), settlement);
    }

    /** The tokens the request would be charged for, counted as {@link #embed} counts them (for quotes). */
    long tokens(EmbeddingRequest request, ModelEntry entry) {
        return total(sequences(request, entry, models.model(entry.upstreamModel())));
    }

    private static long total(List<long[]> sequences) {
        long tokens = sequences.stream().mapToLong(s -> s.length).sum();
        if (tokens > MAX_REQUEST_TOKENS) {
            throw ApiException.invalid("input", "The inputs are " + tokens + " tokens together; at most "
                    + MAX_REQUEST_TOKENS + " fit in one request. Split them over several requests.");
        }
        return tokens;
    }

    /** Each input as the model's token sequence (special tokens included), each within the model's limit. */
    private static List<long[]> sequences(EmbeddingRequest request, ModelEntry entry, InProcessEmbeddingModel model) {
        int limit = Math.min(entry.embedding().maxInputTokens(), model.maxSequenceLength());
        List<long[]> sequences = new ArrayList<>(request.inputs().size());
        for (int i = 0; i < request.inputs().size(); i++) {
            long[] sequence = switch (request.inputs().get(i)) {
                case EmbeddingInput.Text text -> model.tokenize(text.text());
                case EmbeddingInput.Tokens tokens -> model.withSpecialTokens(checkVocabulary(tokens.ids(), model,
                        request.label(i), entry));
            };
            if (sequence.length > limit) {
                throw ApiException.invalid("input", request.label(i) + " is " + sequence.length + " tokens long; "
                        + entry.id() + " accepts at most " + limit + " tokens per input (counted with the model's own"
                        + " tokenizer, its 2 special tokens included). Split the text into shorter pieces.");
            }
            sequences.add(sequence);
        }
        return sequences;
    }

    private static long[] checkVocabulary(long[] ids, InProcessEmbeddingModel model, String label, ModelEntry entry) {
        for (long id : ids) {
            if (id >= model.vocabularySize()) {
                throw ApiException.invalid("input", label + " holds token id " + id + ", which is not in " + entry.id()
                        + "'s vocabulary (0 to " + (model.vocabularySize() - 1) + "). Token arrays must come from"
                        + " this model's own tokenizer, without special tokens; or send text.");
            }
        }
        return ids;
    }
}
