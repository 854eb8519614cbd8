package dev.tollgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A model entry's {@code daily_token_quota}: a whole number of tokens in its request policy, 0 (none) if absent. */
class DailyTokenQuotaCatalogTest {

    private static Catalog parse(String quotaField) throws IOException {
        String json = """
                {"version": 1, "models": [
                  {"id": "test/free", "upstream": "free-pool", "context_length": 8192, "max_output_tokens": 1000,
                   "pricing": {"input_per_million_usd": "0", "output_per_million_usd": "0"},
                   "capabilities": ["chat"]%s}
                ]}""".formatted(quotaField);
        return CatalogLoader.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theQuotaIsPartOfTheModelsRequestPolicy() throws IOException {
        RequestPolicy policy = parse(", \"daily_token_quota\": 2000000").find("test/free").orElseThrow().policy();
        assertThat(policy.dailyTokenQuota()).isEqualTo(2_000_000);
        assertThat(policy.hasDailyTokenQuota()).isTrue();
        assertThat(policy.maxChoices()).as("the rest of the policy is the default").isEqualTo(1);
        assertThat(policy.action("n_predict")).isEqualTo(RequestPolicy.FieldAction.DROP);
    }

    @Test
    void withoutTheFieldOrWithZeroThereIsNoQuota() throws IOException {
        assertThat(parse("").find("test/free").orElseThrow().policy().hasDailyTokenQuota()).isFalse();
        assertThat(parse(", \"daily_token_quota\": 0").find("test/free").orElseThrow().policy().dailyTokenQuota()).isZero();
        assertThat(CatalogLoader.loadDefault().models()).allSatisfy(m -> assertThat(m.policy().hasDailyTokenQuota()).isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1000\"", "-1", "1.5", "true", "{}"})
    void anythingButAWholeNonNegativeNumberFailsNamingTheModelAndField(String value) {
        assertThatThrownBy(() -> parse(", \"daily_token_quota\": " + value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("test/free").hasMessageContaining("daily_token_quota");
    }

    @Test
    void aPolicyBuiltWithoutAQuotaHasNone() {
        assertThat(new RequestPolicy(2, java.util.Map.of(), false, java.util.Map.of()).dailyTokenQuota()).isZero();
    }
}
