package dev.tollgate.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Token counts used to size holds. The fixed numbers below were verified once against jtokkit 1.1.0's
 * o200k_base directly ({@code Encodings.newDefaultEncodingRegistry().getEncoding(O200K_BASE).encodeOrdinary}):
 * "hello world" → [24912, 2375], "user" → [1428], "system" → [17360], "Be brief." → 3 tokens,
 * "Look at this" → 3 tokens, "<|endoftext|>" as ordinary text → 7 tokens. They are pinned here rather than
 * recomputed so that a tokenizer swap or an off-by-one in the overhead shows up as a failure.
 */
class TokenCounterTest {

    private static final String O200K = "o200k_base";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenCounter counter = new TokenCounter();

    @Test
    void countsPlainTextWithTheNamedEncoding() {
        assertThat(counter.count(O200K, "hello world")).isEqualTo(2);
        assertThat(counter.count(O200K, "Be brief.")).isEqualTo(3);
    }

    @Test
    void emptyAndNullTextAreZero() {
        assertThat(counter.count(O200K, "")).isZero();
        assertThat(counter.count(O200K, null)).isZero();
    }

    @Test
    void specialTokenTextInUserInputIsCountedAsOrdinaryTextInsteadOfThrowing() {
        // jtokkit's countTokens throws UnsupportedOperationException on special tokens; user text may contain them.
        assertThat(counter.count(O200K, "<|endoftext|>")).isEqualTo(7);
        assertThat(counter.count(O200K, "hi <|endoftext|><|im_start|>")).isGreaterThan(7);
    }

    @Test
    void unknownEncodingIsRejectedByName() {
        assertThatThrownBy(() -> counter.count("no_such_encoding", "hello"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no_such_encoding");
    }

    @Test
    void chatOverheadIsThreePerMessagePlusThreePrimingPlusRoleTokens() {
        JsonNode one = json("[{\"role\":\"user\",\"content\":\"hello world\"}]");
        // 3 priming + 3 per message + "user" (1) + "hello world" (2)
        assertThat(counter.countPrompt(O200K, one, null)).isEqualTo(3 + 3 + 1 + 2);

        JsonNode two = json("[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"hello world\"}]");
        // 3 priming + (3 + "system" 1 + 3) + (3 + "user" 1 + 2)
        assertThat(counter.countPrompt(O200K, two, null)).isEqualTo(3 + 7 + 6);
    }

    @Test
    void noMessagesStillPaysThePriming() {
        assertThat(counter.countPrompt(O200K, json("[]"), null)).isEqualTo(3);
    }

    @Test
    void aNameCostsOneTokenPlusItsText() {
        JsonNode named = json("[{\"role\":\"user\",\"name\":\"user\",\"content\":\"hello world\"}]");
        // as above, plus 1 for having a name and 1 for the name "user"
        assertThat(counter.countPrompt(O200K, named, null)).isEqualTo(9 + 1 + 1);
    }

    @Test
    void nullContentCountsOnlyTheOverhead() {
        JsonNode message = json("[{\"role\":\"user\",\"content\":null}]");
        assertThat(counter.countPrompt(O200K, message, null)).isEqualTo(3 + 3 + 1);
    }

    @Test
    void nonTextPartsCostWhatTheCallerSays() {
        JsonNode vision = json("[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"Look at this\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\",\"detail\":\"high\"}},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]");
        // 3 priming + 3 per message + "user" 1 + "Look at this" 3 + 2 images at the bound given; no URL text counted
        assertThat(counter.countPrompt(O200K, vision, null, part -> 16_384)).isEqualTo(3 + 3 + 1 + 3 + 2 * 16_384);
        // Without a bound for them, other parts are counted as their JSON text
        assertThat(counter.countPrompt(O200K, vision, null)).isGreaterThan(3 + 3 + 1 + 3 + 2 * 10);
    }

    @Test
    void manyMediaPartsAtTheirBoundDoNotOverflow() {
        StringBuilder parts = new StringBuilder("[{\"role\":\"user\",\"content\":[");
        for (int i = 0; i < 200_000; i++) {
            parts.append(i == 0 ? "" : ",").append("{\"type\":\"image_url\"}");
        }
        JsonNode messages = json(parts.append("]}]").toString());
        assertThat(counter.countPrompt(O200K, messages, null, part -> 16_384)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void truncateKeepsAtMostTheGivenTokens() {
        String text = "The quick brown fox jumps over the lazy dog";
        String cut = counter.truncate(O200K, text, 3);
        assertThat(text).startsWith(cut);
        assertThat(counter.count(O200K, cut)).isEqualTo(3);
        assertThat(counter.truncate(O200K, text, 1_000)).isEqualTo(text);
        assertThat(counter.truncate(O200K, text, 0)).isEmpty();
        // A character split by a token boundary is left out rather than sent half-encoded.
        String emoji = "\uD83D\uDE00\uD83D\uDE00";
        assertThat(counter.truncate(O200K, emoji, 1)).doesNotContain("\uFFFD");
    }

    @Test
    void toolDefinitionsAddTheirSerializedTokens() {
        JsonNode messages = json("[{\"role\":\"user\",\"content\":\"hello world\"}]");
        JsonNode tools = json("[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"description\":\"Current weather for a city\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]");

        int without = counter.countPrompt(O200K, messages, null);
        int with = counter.countPrompt(O200K, messages, tools);

        assertThat(without).isEqualTo(9);
        assertThat(with - without).isEqualTo(counter.count(O200K, tools.toString())).isGreaterThan(20);
        assertThat(counter.countPrompt(O200K, messages, JSON.nullNode())).isEqualTo(without);
        assertThat(counter.countPrompt(O200K, messages, JSON.missingNode())).isEqualTo(without);
    }

    @Test
    void assistantToolCallsAreCounted() {
        JsonNode plain = json("[{\"role\":\"assistant\",\"content\":null}]");
        JsonNode withCall = json("[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}]");
        assertThat(counter.countPrompt(O200K, withCall, null)).isGreaterThan(counter.countPrompt(O200K, plain, null) + 5);
    }

    @Test
    void longerPromptsCountMore() {
        String words = "the quick brown fox jumps over the lazy dog ".repeat(100);
        JsonNode big = JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", words));
        assertThat(counter.countPrompt(O200K, big, null)).isBetween(800, 1100);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
