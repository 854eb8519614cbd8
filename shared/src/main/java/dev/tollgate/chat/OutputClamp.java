package dev.tollgate.chat;

import dev.tollgate.money.ModelPricing;
import dev.tollgate.money.Money;

/**
 * Lowers a request's output bound until its hold fits an amount: the cost ceiling a caller set, or in afford mode
 * what the balance, key budget and spend windows have left. Pure arithmetic on the hold's formula
 * ({@link ModelPricing#bound}): the hold of the limits it returns is never above the target.
 */
final class OutputClamp {

    private OutputClamp() {
    }

    /**
     * The limits with the largest output bound per choice whose hold is at most {@code target}, never above the
     * bound they had; {@code null} when even {@code minimum} tokens per choice (or the bound the caller asked for,
     * if smaller) would not fit.
     */
    static ChatLimits fit(ModelPricing pricing, ChatLimits limits, Money target, int minimum) {
        if (pricing.bound(limits.promptTokens(), limits.outputBound()).compareTo(target) <= 0) {
            return limits;
        }
        // hold = ceil((in × prompt + out × output) / 1e6) <= target  ⇔  in × prompt + out × output <= target × 1e6,
        // with "in" the dearest prompt rate the hold uses
        long budget = Math.multiplyExact(target.micros(), 1_000_000L)
                - Math.multiplyExact(pricing.dearestPromptMicrosPerMillion(), (long) limits.promptTokens());
        long outPrice = pricing.output().microsPerMillion();
        if (budget < 0 || outPrice == 0) {
            return null; // the prompt alone costs more (with free output the full bound would have fitted)
        }
        long perChoice = Math.min(budget / outPrice / limits.choices(), limits.maxOutputPerChoice());
        if (perChoice < Math.min(minimum, limits.maxOutputPerChoice()) || perChoice < 1) {
            return null;
        }
        return new ChatLimits(limits.promptTokens(), (int) perChoice, limits.choices(), limits.droppedFields());
    }
}
