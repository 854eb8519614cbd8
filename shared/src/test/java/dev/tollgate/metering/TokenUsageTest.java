package dev.tollgate.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading an upstream's {@code usage} object (OpenAI Chat Completions shape). */
class TokenUsageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void parsesPromptCompletionReasoningAndCachedTokens() throws Exception {
        JsonNode usage = JSON.readTree("""
                {"prompt_tokens": 120, "completion_tokens": 45, "total_tokens": 165,
                 "prompt_tokens_details": {"cached_tokens": 100, "audio_tokens": 0},
                 "completion_tokens_details": {"reasoning_tokens": 30, "accepted_prediction_tokens": 0}}
                """);

        TokenUsage parsed = TokenUsage.fromOpenAi(usage);

        assertThat(parsed).isEqualTo(new TokenUsage(120, 45, 30, 100, false));
        assertThat(parsed.totalTokens()).isEqualTo(165);
        assertThat(parsed.counted()).isFalse();
    }

    @Test
    void missingDetailsAreZero() throws Exception {
        TokenUsage parsed = TokenUsage.fromOpenAi(JSON.readTree("{\"prompt_tokens\": 7, \"completion_tokens\": 3}"));
        assertThat(parsed).isEqualTo(new TokenUsage(7, 3, 0, 0, false));
    }

    @Test
    void missingCompletionTokensIsZero() throws Exception {
        TokenUsage parsed = TokenUsage.fromOpenAi(JSON.readTree("{\"prompt_tokens\": 7}"));
        assertThat(parsed.promptTokens()).isEqualTo(7);
        assertThat(parsed.completionTokens()).isZero();
    }

    @Test
    void negativeCountsFromABrokenUpstreamAreClampedToZero() throws Exception {
        TokenUsage parsed = TokenUsage.fromOpenAi(JSON.readTree("""
                {"prompt_tokens": -5, "completion_tokens": -1,
                 "completion_tokens_details": {"reasoning_tokens": -2}, "prompt_tokens_details": {"cached_tokens": -3}}
                """));
        assertThat(parsed).isEqualTo(new TokenUsage(0, 0, 0, 0, false));
    }

    @ParameterizedTest(name = "{0} is not a usage object")
    @ValueSource(strings = {"null", "{}", "{\"completion_tokens\": 5}", "[]", "42", "\"usage\""})
    void returnsNullWhenThereIsNoUsage(String json) throws Exception {
        assertThat(TokenUsage.fromOpenAi(JSON.readTree(json))).isNull();
    }

    @Test
    void returnsNullForAbsentOrMissingNode() throws Exception {
        assertThat(TokenUsage.fromOpenAi(null)).isNull();
        JsonNode chunk = JSON.readTree("{\"choices\": []}");
        assertThat(TokenUsage.fromOpenAi(chunk.get("usage"))).isNull();
        assertThat(TokenUsage.fromOpenAi(chunk.path("usage"))).isNull();
    }

    @Test
    void noneIsAllZero() {
        assertThat(TokenUsage.NONE.totalTokens()).isZero();
        assertThat(TokenUsage.NONE.counted()).isFalse();
    }
}
