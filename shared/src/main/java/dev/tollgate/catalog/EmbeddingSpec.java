package dev.tollgate.catalog;

/**
 * What an embeddings model returns and accepts (catalog fields {@code dimensions}, {@code max_input_tokens},
 * {@code supports_dimensions}).
 *
 * @param dimensions         the length of the vectors it returns by default
 * @param maxInputTokens     the longest single input, in the model's own tokens; longer inputs get a 400
 * @param supportsDimensions whether a caller may ask for shorter vectors with {@code dimensions}
 *                           (Matryoshka-trained models); otherwise only the default length is accepted
 */
public record EmbeddingSpec(int dimensions, int maxInputTokens, boolean supportsDimensions) {

    public EmbeddingSpec {
        if (dimensions <= 0 || maxInputTokens <= 0) {
            throw new IllegalArgumentException("dimensions and max_input_tokens must be positive");
        }
    }
}
