package dev.tollgate.money;

/**
 * What a model charges for input, cached input, cache writes and output tokens. {@link #cost} is the one place in
 * Tollgate where an amount of money is rounded: a request's total is rounded up to the next micro-dollar, once.
 *
 * @param cachedInput the price of prompt tokens served from the upstream's prompt cache; the input price unless
 *                    the catalog says otherwise
 * @param cacheWrite  the price of prompt tokens the upstream wrote to its prompt cache (Anthropic's
 *                    {@code cache_creation_input_tokens}, Bedrock's {@code cacheWriteInputTokens}); the input price
 *                    unless the catalog says otherwise. Anthropic charges 1.25× input for it, so it can exceed input.
 */
public record ModelPricing(TokenPrice input, TokenPrice output, TokenPrice cachedInput, TokenPrice cacheWrite) {

    public static final ModelPricing FREE = new ModelPricing(TokenPrice.FREE, TokenPrice.FREE);

    public ModelPricing {
        java.util.Objects.requireNonNull(input, "input");
        java.util.Objects.requireNonNull(output, "output");
        cachedInput = cachedInput == null ? input : cachedInput;
        cacheWrite = cacheWrite == null ? input : cacheWrite;
    }

    /** A model whose cache writes cost the input rate. */
    public ModelPricing(TokenPrice input, TokenPrice output, TokenPrice cachedInput) {
        this(input, output, cachedInput, input);
    }

    /** A model whose cached prompt tokens cost as much as the others. */
    public ModelPricing(TokenPrice input, TokenPrice output) {
        this(input, output, input, input);
    }

    public boolean isFree() {
        return input.isFree() && output.isFree() && cachedInput.isFree() && cacheWrite.isFree();
    }

    /** The cost of a request none of whose prompt came from a cache; see {@link #cost(long, long, long, long)}. */
    public Money cost(long inputTokens, long outputTokens) {
        return cost(inputTokens, 0, 0, outputTokens);
    }

    /** The cost of a request that wrote nothing to a cache; see {@link #cost(long, long, long, long)}. */
    public Money cost(long promptTokens, long cachedTokens, long outputTokens) {
        return cost(promptTokens, cachedTokens, 0, outputTokens);
    }

    /**
     * The most a request of {@code promptTokens} and {@code outputTokens} can cost, whatever part of its prompt the
     * upstream reads from or writes to its cache: every prompt token at the dearest of the three prompt rates. A
     * hold sized with this stays an upper bound when cache writes cost more than input.
     */
    public Money bound(long promptTokens, long outputTokens) {
        long dearest = dearestPromptMicrosPerMillion();
        if (promptTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
        long numerator = Math.addExact(Math.multiplyExact(dearest, promptTokens),
                Math.multiplyExact(output.microsPerMillion(), outputTokens));
        return Money.ofMicros(Math.ceilDiv(numerator, 1_000_000L));
    }

    /** The prompt rate {@link #bound} prices every prompt token at: the dearest of input, cache read and write. */
    public long dearestPromptMicrosPerMillion() {
        return Math.max(input.microsPerMillion(), Math.max(cachedInput.microsPerMillion(), cacheWrite.microsPerMillion()));
    }

    /**
     * The cost of a request, rounded up to whole micro-dollars.
     *
     * <p>Token counts have OpenAI's meaning, to which every provider normalises its usage: {@code promptTokens}
     * <em>includes</em> the {@code cachedTokens} and the {@code cacheWriteTokens} (Anthropic and Bedrock count both
     * outside their input count; their providers add them in). So the plain part is
     * {@code promptTokens - cachedTokens - cacheWriteTokens}, and no token is charged twice. Prices are µ$ per
     * million tokens, so the exact cost is
     * {@code (in × plain + cached × cachedTokens + write × cacheWriteTokens + out × outputTokens) / 1e6} µ$; integer
     * arithmetic with overflow checks keeps it exact before the single ceiling division.
     */
    public Money cost(long promptTokens, long cachedTokens, long cacheWriteTokens, long outputTokens) {
        if (promptTokens < 0 || cachedTokens < 0 || cacheWriteTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
        long cached = Math.min(cachedTokens, promptTokens); // a cache cannot serve more than the prompt
        long written = Math.min(cacheWriteTokens, promptTokens - cached);
        long numerator = Math.addExact(Math.addExact(Math.addExact(
                Math.multiplyExact(input.microsPerMillion(), promptTokens - cached - written),
                Math.multiplyExact(cachedInput.microsPerMillion(), cached)),
                Math.multiplyExact(cacheWrite.microsPerMillion(), written)),
                Math.multiplyExact(output.microsPerMillion(), outputTokens));
        return Money.ofMicros(Math.ceilDiv(numerator, 1_000_000L));
    }
}
