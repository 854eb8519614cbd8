package dev.tollgate.embeddings;

import dev.tollgate.upstream.InProcessEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for an in-process model: one token per whitespace-separated word (ids 1000 + word length)
 * between [CLS]=101 and [SEP]=102, vectors derived from the tokens, and a switch that makes it fail.
 */
final class FakeInProcessModel implements InProcessEmbeddingModel {

    static final int DIMENSIONS = 4;
    final AtomicInteger runs = new AtomicInteger();
    volatile boolean failing;

    @Override
    public String name() {
        return "all-minilm-l6-v2-q";
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public int maxSequenceLength() {
        return 512;
    }

    @Override
    public int vocabularySize() {
        return 30_522;
    }

    @Override
    public long[] tokenize(String text) {
        String[] words = text.strip().split("\\s+");
        long[] ids = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            ids[i] = 1000 + words[i].length();
        }
        return withSpecialTokens(ids);
    }

    @Override
    public long[] withSpecialTokens(long[] tokenIds) {
        long[] sequence = new long[tokenIds.length + 2];
        sequence[0] = 101;
        System.arraycopy(tokenIds, 0, sequence, 1, tokenIds.length);
        sequence[sequence.length - 1] = 102;
        return sequence;
    }

    @Override
    public List<float[]> embed(List<long[]> sequences) {
        runs.incrementAndGet();
        if (failing) {
            throw new IllegalStateException("fake model failure");
        }
        List<float[]> vectors = new ArrayList<>();
        for (long[] s : sequences) {
            float[] v = {s.length, s[1] % 7, 1, 2};
            double norm = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + v[3] * v[3]);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / norm);
            }
            vectors.add(v);
        }
        return vectors;
    }
}
