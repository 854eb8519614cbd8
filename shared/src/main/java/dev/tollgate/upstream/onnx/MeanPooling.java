package dev.tollgate.upstream.onnx;

import java.nio.FloatBuffer;

/**
 * Sentence-transformers' pooling for MiniLM-style models: the mean of the token vectors the attention mask
 * keeps, then scaled to unit length. Pure arithmetic, no ONNX, so it is tested on its own.
 */
final class MeanPooling {

    private MeanPooling() {
    }

    /**
     * @param hidden  {@code last_hidden_state}, row-major {@code [batch][width][dimensions]}
     * @param lengths the real (unpadded) length of each sequence; positions past it are padding
     * @return one unit vector per sequence
     */
    static float[][] pool(FloatBuffer hidden, int width, int dimensions, int[] lengths) {
        float[][] vectors = new float[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            float[] sum = new float[dimensions];
            int base = b * width * dimensions;
            for (int t = 0; t < lengths[b]; t++) {
                int offset = base + t * dimensions;
                for (int d = 0; d < dimensions; d++) {
                    sum[d] += hidden.get(offset + d);
                }
            }
            for (int d = 0; d < dimensions; d++) {
                sum[d] /= Math.max(1, lengths[b]);
            }
            vectors[b] = normalize(sum);
        }
        return vectors;
    }

    /** {@code v} scaled to length 1 (in place); a zero vector stays zero. */
    static float[] normalize(float[] v) {
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        double norm = Math.sqrt(squares);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / norm);
            }
        }
        return v;
    }
}
