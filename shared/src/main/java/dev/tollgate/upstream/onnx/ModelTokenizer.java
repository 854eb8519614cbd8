package dev.tollgate.upstream.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.JsonBuffers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The model's own tokenizer: HuggingFace {@code tokenizers} (Rust, through DJL's JNI binding) reading the
 * {@code tokenizer.json} the model was exported with, so token counts match the model exactly.
 *
 * <p>Truncation and padding are switched off whatever the file says: the all-MiniLM export's file truncates
 * at 128 tokens, which would silently embed (and bill) only the start of a longer input. Limits are the
 * caller's business ({@code max_input_tokens} in the catalog), decided on the full count.
 */
final class ModelTokenizer implements AutoCloseable {

    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "true", "truncation", "false", "padding", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final long[] prefix;
    private final long[] suffix;
    private final int vocabularySize;

    private ModelTokenizer(HuggingFaceTokenizer tokenizer, int vocabularySize) {
        this.tokenizer = tokenizer;
        this.vocabularySize = vocabularySize;
        // BERT wraps every sequence as [CLS] ... [SEP]: what the tokenizer adds to nothing is what it adds to anything.
        long[] empty = tokenizer.encode("").getIds();
        this.prefix = empty.length > 0 ? new long[] {empty[0]} : new long[0];
        this.suffix = empty.length > 1 ? Arrays.copyOfRange(empty, 1, empty.length) : new long[0];
    }

    static ModelTokenizer fromJson(byte[] tokenizerJson) {
        DjlSettings.noTelemetryNoDownloads();
        try {
            JsonNode root = JsonBuffers.mapper().readTree(tokenizerJson);
            int vocabulary = root.path("model").path("vocab").size();
            if (vocabulary == 0) {
                throw new IllegalArgumentException("tokenizer.json has no model.vocab");
            }
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), OPTIONS);
            return new ModelTokenizer(tokenizer, vocabulary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer", e);
        }
    }

    /** Token ids of {@code text} with the model's special tokens, never truncated. */
    long[] tokenize(String text) {
        return tokenizer.encode(text).getIds();
    }

    long[] withSpecialTokens(long[] tokenIds) {
        long[] sequence = new long[prefix.length + tokenIds.length + suffix.length];
        System.arraycopy(prefix, 0, sequence, 0, prefix.length);
        System.arraycopy(tokenIds, 0, sequence, prefix.length, tokenIds.length);
        System.arraycopy(suffix, 0, sequence, prefix.length + tokenIds.length, suffix.length);
        return sequence;
    }

    int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
