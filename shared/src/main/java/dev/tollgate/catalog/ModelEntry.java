package dev.tollgate.catalog;

import dev.tollgate.money.ModelPricing;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One public model: where it is served, how big it is, what it costs and what it can do.
 *
 * @param id              the public model id callers send in {@code model}
 * @param upstream        the name of the configured upstream that serves it
 * @param upstreamModel   the model name the upstream expects
 * @param contextLength   prompt plus output tokens the model accepts
 * @param maxOutputTokens the cap on generated tokens; requests asking for more are clamped to it (0 for a
 *                        model that only embeds)
 * @param pricing         input and output prices
 * @param capabilities    e.g. chat, embeddings, vision, tools, reasoning
 * @param ownedBy         shown as {@code owned_by} in the model list
 * @param tokenizer       the encoding used to estimate tokens, {@code o200k_base} or {@code cl100k_base} (our own
 *                        map: a model lookup by name does not know most self-hosted models)
 * @param fallbacks       public ids tried in order when this model's upstream fails before the first byte
 * @param description     a short human description
 * @param embedding       vector size and input limit of an {@code embeddings} model; {@code null} otherwise
 * @param policy          choices, provider fields and media the model accepts ({@link RequestPolicy#DEFAULT} unless
 *                        the catalog says otherwise)
 */
public record ModelEntry(
        String id,
        String upstream,
        String upstreamModel,
        int contextLength,
        int maxOutputTokens,
        ModelPricing pricing,
        Set<String> capabilities,
        String ownedBy,
        String tokenizer,
        List<String> fallbacks,
        String description,
        EmbeddingSpec embedding,
        RequestPolicy policy) {

    /** A model without embeddings. */
    public ModelEntry(String id, String upstream, String upstreamModel, int contextLength, int maxOutputTokens,
                      ModelPricing pricing, Set<String> capabilities, String ownedBy, String tokenizer,
                      List<String> fallbacks, String description) {
        this(id, upstream, upstreamModel, contextLength, maxOutputTokens, pricing, capabilities, ownedBy, tokenizer,
                fallbacks, description, null, RequestPolicy.DEFAULT);
    }

    /** A model with the default request policy. */
    public ModelEntry(String id, String upstream, String upstreamModel, int contextLength, int maxOutputTokens,
                      ModelPricing pricing, Set<String> capabilities, String ownedBy, String tokenizer,
                      List<String> fallbacks, String description, EmbeddingSpec embedding) {
        this(id, upstream, upstreamModel, contextLength, maxOutputTokens, pricing, capabilities, ownedBy, tokenizer,
                fallbacks, description, embedding, RequestPolicy.DEFAULT);
    }

    public ModelEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(upstreamModel, "upstreamModel");
        Objects.requireNonNull(pricing, "pricing");
        capabilities = Set.copyOf(capabilities);
        fallbacks = List.copyOf(fallbacks);
        // A model that only embeds generates nothing: its output cap may be zero.
        boolean generates = !capabilities.contains("embeddings") || capabilities.contains("chat");
        if (contextLength <= 0 || maxOutputTokens < 0 || (generates && maxOutputTokens == 0)) {
            throw new IllegalArgumentException(id + ": context_length and max_output_tokens must be positive");
        }
        policy = policy == null ? RequestPolicy.DEFAULT : policy;
        if (policy.action("max_tokens") == RequestPolicy.FieldAction.DROP
                && policy.action("max_completion_tokens") == RequestPolicy.FieldAction.DROP) {
            throw new IllegalArgumentException(id + ": the field policy drops both max_tokens and max_completion_tokens,"
                    + " so nothing would bound the output");
        }
        if (policy.action("max_tokens") == RequestPolicy.FieldAction.REFUSE
                || policy.action("max_completion_tokens") == RequestPolicy.FieldAction.REFUSE) {
            throw new IllegalArgumentException(id + ": max_tokens and max_completion_tokens can be dropped, not refused");
        }
        if (capabilities.contains("vision") && policy.tokensPer("image") == 0) {
            // Images are held at the model's own worst case, never at a guess: a vision model must state it.
            throw new IllegalArgumentException(id + ": a vision model needs media_tokens.image, the most tokens one image costs");
        }
        if (!capabilities.contains("vision") && policy.tokensPer("image") > 0) {
            throw new IllegalArgumentException(id + ": media_tokens.image is set but the model has no vision capability");
        }
        if (capabilities.contains("embeddings") && embedding == null) {
            throw new IllegalArgumentException(id + ": an embeddings model needs dimensions and max_input_tokens");
        }
    }

    public boolean isFree() {
        return pricing.isFree();
    }

    public boolean supports(String capability) {
        return capabilities.contains(capability);
    }
}
