package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.money.ModelPricing;
import dev.tollgate.money.Money;
import dev.tollgate.money.TokenPrice;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutputClampTest {

    private static final ModelPricing QWEN = new ModelPricing(TokenPrice.perMillionDollars("0.20"),
            TokenPrice.perMillionDollars("0.60"));

    @Test
    void lowersTheBoundToTheLargestThatFits() {
        ChatLimits limits = new ChatLimits(12, 8192, 1, Set.of());
        ChatLimits fitted = OutputClamp.fit(QWEN, limits, Money.ofMicros(100), 16);
        assertThat(fitted.maxOutputPerChoice()).isEqualTo((100_000_000 - 200_000 * 12) / 600_000);
        assertThat(QWEN.bound(12, fitted.outputBound())).isLessThanOrEqualTo(Money.ofMicros(100));
        assertThat(QWEN.bound(12, fitted.outputBound() + 1)).isGreaterThan(Money.ofMicros(100));
    }

    @Test
    void aBoundThatFitsIsKeptAndOneBelowTheMinimumIsNull() {
        ChatLimits small = new ChatLimits(12, 10, 1, Set.of());
        assertThat(OutputClamp.fit(QWEN, small, Money.parseDollars("1"), 16)).isSameAs(small);
        assertThat(OutputClamp.fit(QWEN, new ChatLimits(12, 8192, 1, Set.of()), Money.ofMicros(11), 16))
                .as("14 tokens fit, fewer than 16").isNull();
        assertThat(OutputClamp.fit(QWEN, new ChatLimits(12, 8192, 1, Set.of()), Money.ofMicros(12), 16).maxOutputPerChoice())
                .as("exactly 16 fit").isEqualTo(16);
        assertThat(OutputClamp.fit(QWEN, new ChatLimits(100_000, 10, 1, Set.of()), Money.ofMicros(5), 1))
                .as("the prompt alone is dearer").isNull();
    }

    @Test
    void choicesShareTheBound() {
        ChatLimits fitted = OutputClamp.fit(QWEN, new ChatLimits(12, 1000, 4, Set.of()), Money.ofMicros(100), 16);
        assertThat(fitted.maxOutputPerChoice()).isEqualTo((100_000_000 - 200_000 * 12) / 600_000 / 4);
        assertThat(QWEN.bound(12, fitted.outputBound())).isLessThanOrEqualTo(Money.ofMicros(100));
    }

    /** Whatever the prices, prompt and target, a fitted hold is within the target. */
    @Test
    void theFittedHoldNeverExceedsTheTarget() {
        Random random = new Random(21);
        for (int i = 0; i < 20_000; i++) {
            ModelPricing pricing = new ModelPricing(new TokenPrice(random.nextInt(5_000_000)),
                    new TokenPrice(1 + random.nextInt(20_000_000)));
            ChatLimits limits = new ChatLimits(random.nextInt(100_000), 1 + random.nextInt(100_000), 1 + random.nextInt(4),
                    Set.of());
            Money target = Money.ofMicros(random.nextInt(10_000_000));
            ChatLimits fitted = OutputClamp.fit(pricing, limits, target, 1 + random.nextInt(64));
            if (fitted != null) {
                assertThat(pricing.bound(fitted.promptTokens(), fitted.outputBound())).isLessThanOrEqualTo(target);
                assertThat(fitted.maxOutputPerChoice()).isBetween(1, limits.maxOutputPerChoice());
            }
        }
    }
}
