package dev.tollgate.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.metering.TokenCounter;

/**
 * Reasoning tokens for upstreams that do not report them apart: Anthropic's {@code output_tokens} and Bedrock's
 * {@code outputTokens} include the thinking, but neither says how much of it was thinking. The thinking text is
 * counted with Tollgate's tokenizer (the catalog's default encoding: Anthropic's own tokenizer is not published, so
 * this is an estimate) and reported as {@code completion_tokens_details.reasoning_tokens}, at most the completion
 * count. It is a detail of the completion count, never added to it: what is billed does not change.
 */
public final class ThinkingTokens {

    /** The catalog's default tokenizer. */
    static final String ENCODING = "o200k_base";
    private static final TokenCounter COUNTER = new TokenCounter();

    private ThinkingTokens() {
    }

    /** Adds the reasoning count of {@code thinking} to an OpenAI usage object; nothing when there was no thinking. */
    public static void addTo(ObjectNode usage, CharSequence thinking) {
        if (usage == null || thinking == null || thinking.isEmpty()) {
            return;
        }
        long completion = usage.path("completion_tokens").asLong(0);
        long reasoning = Math.min(completion, COUNTER.count(ENCODING, thinking.toString()));
        usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoning);
    }
}
