package dev.tollgate.embeddings;

/** One item of {@code input}: text, or token ids the caller already produced. */
public sealed interface EmbeddingInput {

    /** A text to tokenize with the model's tokenizer. */
    record Text(String text) implements EmbeddingInput {
    }

    /** Token ids of the model's own vocabulary, without special tokens. */
    record Tokens(long[] ids) implements EmbeddingInput {
    }
}
