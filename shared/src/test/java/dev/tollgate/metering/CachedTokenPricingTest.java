package dev.tollgate.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.money.TokenPrice;
import dev.tollgate.upstream.anthropic.FromAnthropicResponse;
import dev.tollgate.upstream.bedrock.FromConverseResponse;
import org.junit.jupiter.api.Test;

/**
 * The same cached prompt reported by each kind of upstream costs the same: OpenAI counts cached tokens inside
 * {@code prompt_tokens}, Anthropic and Bedrock outside their input count. Providers normalise to OpenAI's meaning,
 * {@link ModelPricing#cost(long, long, long)} prices the cached part at the cached rate: nobody is charged twice.
 *
 * <p>The case: 1 000 prompt tokens of which 800 were read from the cache and 100 written to it, 50 output tokens, at
 * $3/M input, $0.30/M cached, $15/M output: 200 × 3 + 800 × 0.30 + 50 × 15 = 600 + 240 + 750 = 1 590 µ$.
 */
class CachedTokenPricingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ModelPricing PRICING = new ModelPricing(TokenPrice.perMillionDollars("3.00"),
            TokenPrice.perMillionDollars("15.00"), TokenPrice.perMillionDollars("0.30"));
    static final Money EXPECTED = Money.ofMicros(1_590);

    @Test
    void openAiUsageCountsCachedTokensInsidePromptTokens() throws Exception {
        TokenUsage usage = TokenUsage.fromOpenAi(JSON.readTree(
                "{\"prompt_tokens\":1000,\"completion_tokens\":50,\"prompt_tokens_details\":{\"cached_tokens\":800}}"));
        assertThat(cost(usage)).isEqualTo(EXPECTED);
    }

    @Test
    void anthropicUsageCountsCacheReadsAndWritesOutsideInputTokens() throws Exception {
        JsonNode message = JSON.readTree("{\"id\":\"m\",\"model\":\"c\",\"content\":[],\"stop_reason\":\"end_turn\","
                + "\"usage\":{\"input_tokens\":100,\"cache_read_input_tokens\":800,\"cache_creation_input_tokens\":100,"
                + "\"output_tokens\":50}}");
        TokenUsage usage = TokenUsage.fromOpenAi(FromAnthropicResponse.map(message, 0).get("usage"));
        assertThat(usage.promptTokens()).isEqualTo(1000);
        assertThat(usage.cachedTokens()).isEqualTo(800);
        assertThat(cost(usage)).isEqualTo(EXPECTED);
    }

    @Test
    void bedrockUsageCountsCacheReadsAndWritesOutsideInputTokens() throws Exception {
        JsonNode converse = JSON.readTree("{\"output\":{\"message\":{\"content\":[]}},\"stopReason\":\"end_turn\","
                + "\"usage\":{\"inputTokens\":100,\"cacheReadInputTokens\":800,\"cacheWriteInputTokens\":100,"
                + "\"outputTokens\":50}}");
        TokenUsage usage = TokenUsage.fromOpenAi(FromConverseResponse.map(converse, "id", "m", 0).get("usage"));
        assertThat(cost(usage)).isEqualTo(EXPECTED);
    }

    @Test
    void withoutACachedRateCachedTokensCostTheInputRate() {
        ModelPricing flat = new ModelPricing(TokenPrice.perMillionDollars("3.00"), TokenPrice.perMillionDollars("15.00"));
        assertThat(flat.cost(1000, 800, 50)).isEqualTo(flat.cost(1000, 50)).isEqualTo(Money.ofMicros(3_750));
    }

    @Test
    void aCacheCannotServeMoreThanThePrompt() {
        assertThat(PRICING.cost(100, 5_000, 0)).isEqualTo(PRICING.cost(100, 100, 0)).isEqualTo(Money.ofMicros(30));
    }

    /** What settlement charges: the one cost method, with the usage's cached part. */
    private static Money cost(TokenUsage usage) {
        return PRICING.cost(usage.promptTokens(), usage.cachedTokens(), usage.completionTokens());
    }
}
