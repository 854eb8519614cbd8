package dev.tollgate.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ModelPricing#cost} is the single rounding point: the request total is rounded up once. */
class ModelPricingTest {

    private static ModelPricing pricing(String inputPerMillion, String outputPerMillion) {
        return new ModelPricing(TokenPrice.perMillionDollars(inputPerMillion), TokenPrice.perMillionDollars(outputPerMillion));
    }

    @ParameterizedTest(name = "in ${0}/M × {2} + out ${1}/M × {3} = {4} µ$")
    @CsvSource({
            // the exact cost in µ$ before rounding is in the comment
            "0.20, 0.60, 1,       0,       1",      // 0.2 → 1
            "0.20, 0.60, 5,       0,       1",      // 5 × 0.2 = 1.0, not 5 × ceil(0.2) = 5
            "0.20, 0.60, 6,       0,       2",      // 1.2 → 2
            "0.20, 0.60, 0,       1,       1",      // 0.6 → 1
            "0.20, 0.60, 1,       1,       1",      // 0.2 + 0.6 = 0.8 → 1, not 1 + 1
            "0.20, 0.60, 3,       1,       2",      // 0.6 + 0.6 = 1.2 → 2
            "0.20, 0.60, 1000000, 0,       200000", // exact
            "0.20, 0.60, 1000000, 1000000, 800000", // exact
            "0.20, 0.60, 5,       5,       4",      // 1.0 + 3.0 = 4 exact
            "0.20, 0.60, 0,       0,       0",
            "0.05, 0.10, 20,      0,       1",      // exactly 1.0
            "0.05, 0.10, 21,      0,       2",      // 1.05 → 2
            "0.05, 0.10, 4096,    2048,    410",    // 204.8 + 204.8 = 409.6 → 410
            "0.50, 1.50, 1001,    500,     1251",   // 500.5 + 750 = 1250.5 → 1251
            "0.35, 0.90, 32768,   8192,    18842",  // 11468.8 + 7372.8 = 18841.6 → 18842
            "0.35, 0.90, 2000000, 1000000, 1600000",// 700000 + 900000 exact
            "15.00, 60.00, 1,     1,       75",     // 15 + 60 exact
            "0.000001, 0, 1,      0,       1",      // 1e-6 µ$ still costs 1 µ$
            "0.000001, 0, 1000000, 0,      1",      // exactly 1
            "0.000001, 0, 1000001, 0,      2",
    })
    void costIsRoundedUpOnceOnTheTotal(String in, String out, long inputTokens, long outputTokens, long expectedMicros) {
        assertThat(pricing(in, out).cost(inputTokens, outputTokens)).isEqualTo(Money.ofMicros(expectedMicros));
    }

    @Test
    void roundingOncePerRequestIsCheaperThanRoundingPerToken() {
        ModelPricing qwen = pricing("0.20", "0.60");
        Money once = qwen.cost(5, 0);
        Money perToken = Money.ZERO;
        for (int i = 0; i < 5; i++) {
            perToken = perToken.plus(qwen.cost(1, 0));
        }
        assertThat(once).isEqualTo(Money.ofMicros(1));
        assertThat(perToken).isEqualTo(Money.ofMicros(5));
    }

    @Test
    void freeModelsCostNothingForAnyUsage() {
        assertThat(ModelPricing.FREE.isFree()).isTrue();
        assertThat(ModelPricing.FREE.cost(0, 0)).isEqualTo(Money.ZERO);
        assertThat(ModelPricing.FREE.cost(1_000_000_000L, 1_000_000_000L)).isEqualTo(Money.ZERO);
        assertThat(pricing("0", "0").isFree()).isTrue();
    }

    @Test
    void aModelWithOnlyOnePaidDirectionIsNotFree() {
        assertThat(pricing("0", "0.10").isFree()).isFalse();
        assertThat(pricing("0.10", "0").isFree()).isFalse();
        assertThat(pricing("0", "0.10").cost(1_000_000, 0)).isEqualTo(Money.ZERO);
        assertThat(pricing("0", "0.10").cost(0, 10)).isEqualTo(Money.ofMicros(1));
    }

    @Test
    void negativeTokenCountsAreRejected() {
        ModelPricing qwen = pricing("0.20", "0.60");
        assertThatThrownBy(() -> qwen.cost(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> qwen.cost(0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    @Test
    void absurdTokenCountsOverflowLoudlyInsteadOfWrapping() {
        ModelPricing qwen = pricing("0.20", "0.60");
        assertThatThrownBy(() -> qwen.cost(Long.MAX_VALUE / 2, 0)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> qwen.cost(Long.MAX_VALUE / 200_000L, Long.MAX_VALUE / 600_000L))
                .isInstanceOf(ArithmeticException.class);
    }
}
