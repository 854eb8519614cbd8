package dev.tollgate.bench.costs;

import java.math.BigDecimal;

/**
 * One kind of request as the model sees it.
 *
 * @param name            the row's label
 * @param kind            what DynamoDB work it does
 * @param promptTokens    input tokens
 * @param completionTokens output tokens (0 for embeddings)
 * @param tokensPerSecond the upstream's output speed (ignored for embeddings)
 */
public record Shape(String name, Kind kind, int promptTokens, int completionTokens, BigDecimal tokensPerSecond) {

    public enum Kind { PAID_BUFFERED, PAID_STREAMED, FREE_BUFFERED, EMBEDDINGS }

    public static Shape chat(String name, Kind kind, int prompt, int completion, int tokensPerSecond) {
        return new Shape(name, kind, prompt, completion, BigDecimal.valueOf(tokensPerSecond));
    }

    public boolean streamed() {
        return kind == Kind.PAID_STREAMED;
    }

    /** A typical chat turn: 1,500 tokens in, 500 out, at 50 tokens/s. */
    public static final Shape TYPICAL_BUFFERED = chat("paid chat, buffered, 1,500 in / 500 out", Kind.PAID_BUFFERED, 1500, 500, 50);
    public static final Shape TYPICAL_STREAMED = chat("paid chat, streamed, 1,500 in / 500 out", Kind.PAID_STREAMED, 1500, 500, 50);
    public static final Shape SHORT_STREAMED = chat("paid chat, streamed, 300 in / 100 out", Kind.PAID_STREAMED, 300, 100, 50);
    public static final Shape LONG_STREAMED = chat("paid chat, streamed, 6,000 in / 2,000 out", Kind.PAID_STREAMED, 6000, 2000, 50);
    public static final Shape FREE = chat("free chat, buffered, 1,500 in / 500 out", Kind.FREE_BUFFERED, 1500, 500, 50);
    public static final Shape EMBEDDING = new Shape("embeddings, one 24-token input", Kind.EMBEDDINGS,
            Assumptions.EMBEDDING_TOKENS, 0, BigDecimal.ONE);
}
