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

    /**
     * With a cache-write rate ($3.75/M, Anthropic's 1.25× input) the 100 written tokens move from the input rate to
     * it: 100 × 3 + 800 × 0.30 + 100 × 3.75 + 50 × 15 = 300 + 240 + 375 + 750 = 1 665 µ$, whichever upstream
     * reported them, and no written token is also charged as input or as a cache read.
     */
    static final ModelPricing WRITE_PRICED = new ModelPricing(TokenPrice.perMillionDollars("3.00"),
            TokenPrice.perMillionDollars("15.00"), TokenPrice.perMillionDollars("0.30"), TokenPrice.perMillionDollars("3.75"));

    @Test
    void anthropicCacheWritesArePricedAtTheCacheWriteRateOnce() throws Exception {
        JsonNode message = JSON.readTree("{\"id\":\"m\",\"model\":\"c\",\"content\":[],\"stop_reason\":\"end_turn\","
                + "\"usage\":{\"input_tokens\":100,\"cache_read_input_tokens\":800,\"cache_creation_input_tokens\":100,"
                + "\"output_tokens\":50}}");
        TokenUsage usage = TokenUsage.fromOpenAi(FromAnthropicResponse.map(message, 0).get("usage"));
        assertThat(usage.cacheWriteTokens()).isEqualTo(100);
        assertThat(writeCost(usage)).isEqualTo(Money.ofMicros(1_665));
    }

    @Test
    void bedrockCacheWritesArePricedAtTheCacheWriteRateOnce() throws Exception {
        JsonNode converse = JSON.readTree("{\"output\":{\"message\":{\"content\":[]}},\"stopReason\":\"end_turn\","
                + "\"usage\":{\"inputTokens\":100,\"cacheReadInputTokens\":800,\"cacheWriteInputTokens\":100,"
                + "\"outputTokens\":50}}");
        TokenUsage usage = TokenUsage.fromOpenAi(FromConverseResponse.map(converse, "id", "m", 0).get("usage"));
        assertThat(usage.promptTokens()).isEqualTo(1000);
        assertThat(usage.cacheWriteTokens()).isEqualTo(100);
        assertThat(writeCost(usage)).isEqualTo(Money.ofMicros(1_665));
    }

    @Test
    void withoutACacheWriteRateWritesCostTheInputRate() {
        assertThat(PRICING.cost(1000, 800, 100, 50)).isEqualTo(PRICING.cost(1000, 800, 50)).isEqualTo(EXPECTED);
    }

    @Test
    void readsAndWritesTogetherCannotExceedThePrompt() {
        // 100 prompt tokens, 80 reported read and 500 reported written: 80 at the cached rate (24 µ$), the other 20
        // at the write rate (75 µ$)
        assertThat(WRITE_PRICED.cost(100, 80, 500, 0)).isEqualTo(Money.ofMicros(24 + 75));
        assertThat(WRITE_PRICED.cost(100, 80, 500, 0)).isEqualTo(WRITE_PRICED.cost(100, 80, 20, 0));
    }

    @Test
    void usageCutToTheBoundKeepsReadsAndWritesInsideThePrompt() {
        TokenUsage cut = new TokenUsage(1000, 50, 0, 800, false, 200).atMost(900, 50);
        assertThat(cut.cachedTokens()).isEqualTo(800);
        assertThat(cut.cacheWriteTokens()).isEqualTo(100);
    }

    @Test
    void theHoldBoundCoversAPromptWrittenWholeToTheCacheWhenWritesCostMoreThanInput() {
        Money bound = WRITE_PRICED.bound(1000, 50);
        assertThat(bound).isEqualTo(Money.ofMicros(3_750 + 750));
        for (long written = 0; written <= 1000; written += 100) {
            for (long read = 0; read + written <= 1000; read += 100) {
                assertThat(WRITE_PRICED.cost(1000, read, written, 50)).isLessThanOrEqualTo(bound);
            }
        }
        assertThat(WRITE_PRICED.cost(1000, 0, 1000, 50)).isEqualTo(bound).isGreaterThan(WRITE_PRICED.cost(1000, 50));
        // without a dearer prompt rate the bound is the plain cost it always was
        assertThat(PRICING.bound(1000, 50)).isEqualTo(PRICING.cost(1000, 50));
    }

    /** What settlement charges: the one cost method, with the usage's cached and written parts. */
    private static Money cost(TokenUsage usage) {
        return PRICING.cost(usage.promptTokens(), usage.cachedTokens(), usage.cacheWriteTokens(), usage.completionTokens());
    }

    private static Money writeCost(TokenUsage usage) {
        return WRITE_PRICED.cost(usage.promptTokens(), usage.cachedTokens(), usage.cacheWriteTokens(),
                usage.completionTokens());
    }
}
