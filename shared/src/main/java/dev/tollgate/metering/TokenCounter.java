package dev.tollgate.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts tokens with a real BPE tokenizer (jtokkit). Self-hosted models use their own vocabularies, so
 * for them the count is an estimate; it is used to size holds and as the fallback when an upstream
 * reports no usage.
 *
 * <p>Chat overhead follows OpenAI's published counting recipe: 3 tokens per message, 1 more when the
 * message has a name, and 3 to prime the reply. User text is counted with {@code countTokensOrdinary},
 * because {@code countTokens} throws on special-token text such as {@code <|endoftext|>}.
 */
public final class TokenCounter {

    /** What an image part is assumed to cost when sizing a hold (OpenAI: 85 base + 170 per 512px tile). */
    public static final int IMAGE_PART_TOKENS = 765;
    private static final int PER_MESSAGE = 3;
    private static final int PER_NAME = 1;
    private static final int REPLY_PRIMING = 3;

    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
    private final Map<String, Encoding> byName = new ConcurrentHashMap<>();

    /** Tokens in plain text under the named encoding (e.g. {@code o200k_base}). */
    public int count(String encoding, String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return encoding(encoding).countTokensOrdinary(text);
    }

    /** Prompt tokens of a chat request: messages with their overhead, plus tool definitions. */
    public int countPrompt(String encoding, JsonNode messages, JsonNode tools) {
        int total = REPLY_PRIMING;
        for (JsonNode message : messages) {
            total += PER_MESSAGE;
            total += count(encoding, message.path("role").asText(""));
            if (message.hasNonNull("name")) {
                total += PER_NAME + count(encoding, message.get("name").asText());
            }
            total += countContent(encoding, message.get("content"));
            if (message.has("tool_calls")) {
                total += count(encoding, message.get("tool_calls").toString());
            }
        }
        if (tools != null && !tools.isMissingNode() && !tools.isNull()) {
            total += count(encoding, tools.toString());
        }
        return total;
    }

    private int countContent(String encoding, JsonNode content) {
        if (content == null || content.isNull()) {
            return 0;
        }
        if (content.isTextual()) {
            return count(encoding, content.asText());
        }
        int total = 0;
        if (content.isArray()) {
            for (JsonNode part : content) {
                String type = part.path("type").asText("");
                if ("text".equals(type)) {
                    total += count(encoding, part.path("text").asText(""));
                } else if (type.startsWith("image")) {
                    total += IMAGE_PART_TOKENS;
                } else {
                    total += count(encoding, part.toString());
                }
            }
            return total;
        }
        return count(encoding, content.toString());
    }

    private Encoding encoding(String name) {
        return byName.computeIfAbsent(name, n -> registry.getEncoding(EncodingType.fromName(n)
                .orElseThrow(() -> new IllegalArgumentException("unknown tokenizer encoding: " + n))));
    }
}
