package dev.tollgate.metering;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Counts tokens with a real BPE tokenizer (OpenAI's {@code o200k_base} and {@code cl100k_base}, vocabularies from
 * jtokkit's jar, encoded by {@link BytePairEncoding} in compact tables). Self-hosted models use their own vocabularies, so
 * for them the count is an estimate; it is used to size holds and as the fallback when an upstream
 * reports no usage.
 *
 * <p>Chat overhead follows OpenAI's published counting recipe: 3 tokens per message, 1 more when the
 * message has a name, and 3 to prime the reply. Text that spells a special token such as {@code <|endoftext|>} is
 * counted as ordinary text.
 */
public final class TokenCounter {

    private static final int PER_MESSAGE = 3;
    private static final int PER_NAME = 1;
    private static final int REPLY_PRIMING = 3;

    /** Loaded once per process, whichever counter asks first: a vocabulary is a few MB of tables. */
    private static final Map<String, BytePairEncoding> BY_NAME = new ConcurrentHashMap<>();

    /** Tokens in plain text under the named encoding (e.g. {@code o200k_base}). */
    public int count(String encoding, String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return encoding(encoding).count(text);
    }

    /**
     * The longest prefix of {@code text} of at most {@code maxTokens} tokens: what a stream that reaches its
     * output bound may still deliver. A character cut in two by the token boundary is left out.
     */
    public String truncate(String encoding, String text, int maxTokens) {
        if (text == null || text.isEmpty() || maxTokens <= 0) {
            return "";
        }
        BytePairEncoding.Prefix result = encoding(encoding).prefix(text, maxTokens);
        if (!result.truncated()) {
            return text;
        }
        String prefix = result.text();
        int end = prefix.length();
        while (end > 0 && prefix.charAt(end - 1) == '\uFFFD') {
            end--;
        }
        return prefix.substring(0, end);
    }

    /** Prompt tokens of a chat request whose parts are all text (any other part is counted as its JSON text). */
    public int countPrompt(String encoding, JsonNode messages, JsonNode tools) {
        return countPrompt(encoding, messages, tools, part -> count(encoding, part.toString()));
    }

    /**
     * Prompt tokens of a chat request: messages with their overhead, plus tool definitions.
     *
     * @param otherPart what a content part that is not {@code text} costs (media parts: the model's bound)
     */
    public int countPrompt(String encoding, JsonNode messages, JsonNode tools, ToIntFunction<JsonNode> otherPart) {
        long total = REPLY_PRIMING; // long: thousands of media parts at their bound overflow an int

        for (JsonNode message : messages) {
            total += PER_MESSAGE;
            total += count(encoding, message.path("role").asText(""));
            if (message.hasNonNull("name")) {
                total += PER_NAME + count(encoding, message.get("name").asText());
            }
            total += countContent(encoding, message.get("content"), otherPart);
            if (message.has("tool_calls")) {
                total += count(encoding, message.get("tool_calls").toString());
            }
        }
        if (tools != null && !tools.isMissingNode() && !tools.isNull()) {
            total += count(encoding, tools.toString());
        }
        return (int) Math.min(total, Integer.MAX_VALUE);
    }

    private long countContent(String encoding, JsonNode content, ToIntFunction<JsonNode> otherPart) {
        if (content == null || content.isNull()) {
            return 0;
        }
        if (content.isTextual()) {
            return count(encoding, content.asText());
        }
        long total = 0;
        if (content.isArray()) {
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText(""))) {
                    total += count(encoding, part.path("text").asText(""));
                } else {
                    total += otherPart.applyAsInt(part);
                }
            }
            return total;
        }
        return count(encoding, content.toString());
    }

    private BytePairEncoding encoding(String name) {
        BytePairEncoding known = BY_NAME.get(name);
        return known != null ? known : BY_NAME.computeIfAbsent(name, BytePairEncoding::named);
    }
}
