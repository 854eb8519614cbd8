package dev.tollgate.money;

/**
 * What a model charges for input, cached input and output tokens. {@link #cost} is the one place in Tollgate where
 * an amount of money is rounded: a request's total is rounded up to the next micro-dollar, once.
 *
 * @param cachedInput the price of prompt tokens served from the upstream's prompt cache; the input price unless
 *                    the catalog says otherwise (cache <em>writes</em> are ordinary input tokens)
 */
public record ModelPricing(TokenPrice input, TokenPrice output, TokenPrice cachedInput) {

    public static final ModelPricing FREE = new ModelPricing(TokenPrice.FREE, TokenPrice.FREE);

    public ModelPricing {
        java.util.Objects.requireNonNull(input, "input");
        java.util.Objects.requireNonNull(output, "output");
        cachedInput = cachedInput == null ? input : cachedInput;
    }

    /** A model whose cached prompt tokens cost as much as the others. */
    public ModelPricing(TokenPrice input, TokenPrice output) {
        this(input, output, input);
    }

    public boolean isFree() {
        return input.isFree() && output.isFree() && cachedInput.isFree();
    }

    /** The cost of a request none of whose prompt came from a cache; see {@link #cost(long, long, long)}. */
    public Money cost(long inputTokens, long outputTokens) {
        return cost(inputTokens, 0, outputTokens);
    }

    /**
     * The cost of a request, rounded up to whole micro-dollars.
     *
     * <p>Token counts have OpenAI's meaning, to which every provider normalises its usage: {@code promptTokens}
     * <em>includes</em> the {@code cachedTokens} (Anthropic and Bedrock count cache reads outside their input count;
     * their providers add them in). So the uncached part is {@code promptTokens - cachedTokens}, and no token is
     * charged twice. Prices are µ$ per million tokens, so the exact cost is
     * {@code (in × uncached + cached × cachedTokens + out × outputTokens) / 1e6} µ$; integer arithmetic with
     * overflow checks keeps it exact before the single ceiling division.
     */
    public Money cost(long promptTokens, long cachedTokens, long outputTokens) {
        if (promptTokens < 0 || cachedTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
        long cached = Math.min(cachedTokens, promptTokens); // a cache cannot serve more than the prompt
        long numerator = Math.addExact(Math.addExact(
                Math.multiplyExact(input.microsPerMillion(), promptTokens - cached),
                Math.multiplyExact(cachedInput.microsPerMillion(), cached)),
                Math.multiplyExact(output.microsPerMillion(), outputTokens));
        return Money.ofMicros(Math.ceilDiv(numerator, 1_000_000L));
    }
}
