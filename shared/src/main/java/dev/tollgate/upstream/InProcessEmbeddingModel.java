package dev.tollgate.upstream;

import java.util.List;

/**
 * A sentence-embedding model that runs inside the Tollgate process, with no external service. Unlike an
 * {@link EmbeddingProvider} it exposes its own tokenizer, so the exact token count (and so the exact
 * cost) of a request is known before the model runs.
 *
 * <p>Implementations are thread-safe.
 */
public interface InProcessEmbeddingModel {

    /** The model's name, as catalog entries name it in {@code upstream_model}. */
    String name();

    /** The length of every vector {@link #embed} returns. */
    int dimensions();

    /** The longest token sequence the network accepts, special tokens included. */
    int maxSequenceLength();

    /** Token ids are {@code 0 .. vocabularySize() - 1}. */
    int vocabularySize();

    /**
     * The model's own tokenization of {@code text}, with the special tokens the model expects around it
     * (e.g. BERT's {@code [CLS] ... [SEP]}), never truncated.
     */
    long[] tokenize(String text);

    /** A caller-supplied token sequence (ids of this model's vocabulary) with the model's special tokens added. */
    long[] withSpecialTokens(long[] tokenIds);

    /**
     * Embeds each sequence (from {@link #tokenize} or {@link #withSpecialTokens}) into a unit-length
     * vector, in the order given.
     *
     * @throws IllegalArgumentException if a sequence is longer than {@link #maxSequenceLength()}
     * @throws IllegalStateException    if the model failed to run
     */
    List<float[]> embed(List<long[]> sequences);
}
