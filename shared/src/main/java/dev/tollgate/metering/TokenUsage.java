package dev.tollgate.metering;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tokens a request used, as the upstream reported them (or as we counted them when it did not).
 *
 * @param reasoningTokens  part of {@code completionTokens} spent on reasoning, when reported
 * @param cachedTokens     part of {@code promptTokens} served from the upstream's prompt cache
 * @param counted          true when Tollgate counted with its tokenizer because the upstream gave no usage
 * @param cacheWriteTokens part of {@code promptTokens} the upstream wrote to its prompt cache (never overlapping
 *                         {@code cachedTokens})
 */
public record TokenUsage(long promptTokens, long completionTokens, long reasoningTokens, long cachedTokens, boolean counted,
                         long cacheWriteTokens) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, false);

    /** Usage with no cache writes. */
    public TokenUsage(long promptTokens, long completionTokens, long reasoningTokens, long cachedTokens, boolean counted) {
        this(promptTokens, completionTokens, reasoningTokens, cachedTokens, counted, 0);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /**
     * This usage with at most {@code maxPrompt} prompt and {@code maxCompletion} completion tokens: what an
     * upstream reports beyond the model's context window or the request's output bound is not charged (the
     * request cannot have used it), and absurd counts cannot overflow a price.
     */
    public TokenUsage atMost(long maxPrompt, long maxCompletion) {
        if (promptTokens <= maxPrompt && completionTokens <= maxCompletion) {
            return this;
        }
        long prompt = Math.min(promptTokens, maxPrompt);
        long completion = Math.min(completionTokens, maxCompletion);
        long cached = Math.min(cachedTokens, prompt);
        return new TokenUsage(prompt, completion, Math.min(reasoningTokens, completion), cached, counted,
                Math.min(cacheWriteTokens, prompt - cached));
    }

    /** Reads an OpenAI {@code usage} object; {@code null} if the node is not one. */
    public static TokenUsage fromOpenAi(JsonNode usage) {
        if (usage == null || !usage.isObject() || !usage.has("prompt_tokens")) {
            return null;
        }
        JsonNode prompt = usage.path("prompt_tokens_details");
        return new TokenUsage(
                Math.max(0, usage.path("prompt_tokens").asLong()),
                Math.max(0, usage.path("completion_tokens").asLong()),
                Math.max(0, usage.path("completion_tokens_details").path("reasoning_tokens").asLong()),
                Math.max(0, prompt.path("cached_tokens").asLong()),
                false,
                // Tollgate's providers put Anthropic's and Bedrock's cache writes here (inside prompt_tokens)
                Math.max(0, prompt.path("cache_write_tokens").asLong()));
    }
}
