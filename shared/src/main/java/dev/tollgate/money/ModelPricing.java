package dev.tollgate.money;

/**
 * What a model charges for input and output tokens. {@link #cost} is the one place in Tollgate where
 * an amount of money is rounded: a request's total is rounded up to the next micro-dollar, once.
 */
public record ModelPricing(TokenPrice input, TokenPrice output) {

    public static final ModelPricing FREE = new ModelPricing(TokenPrice.FREE, TokenPrice.FREE);

    public boolean isFree() {
        return input.isFree() && output.isFree();
    }

    /**
     * The cost of a request, rounded up to whole micro-dollars.
     *
     * <p>Prices are µ$ per million tokens, so the exact cost is
     * {@code (in × inputTokens + out × outputTokens) / 1e6} µ$; integer arithmetic with overflow checks
     * keeps it exact before the single ceiling division.
     */
    public Money cost(long inputTokens, long outputTokens) {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
        long numerator = Math.addExact(
                Math.multiplyExact(input.microsPerMillion(), inputTokens),
                Math.multiplyExact(output.microsPerMillion(), outputTokens));
        return Money.ofMicros(Math.ceilDiv(numerator, 1_000_000L));
    }
}
