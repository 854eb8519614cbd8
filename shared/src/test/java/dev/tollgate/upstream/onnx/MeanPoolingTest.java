package dev.tollgate.upstream.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Mean pooling under the attention mask, then unit length: padding must never move a vector. */
class MeanPoolingTest {

    @Test
    void averagesOnlyTheRealTokensAndNormalises() {
        // Two sequences of width 3, 2 dimensions: the second has one padding position holding garbage.
        FloatBuffer hidden = FloatBuffer.wrap(new float[] {
                1, 0, 3, 0, 2, 0,      // sequence 0: mean (2, 0) -> (1, 0)
                0, 1, 0, 3, 99, 99,    // sequence 1, length 2: mean (0, 2) -> (0, 1); the 99s are padding
        });

        float[][] vectors = MeanPooling.pool(hidden, 3, 2, new int[] {3, 2});

        assertThat(vectors[0]).containsExactly(1f, 0f);
        assertThat(vectors[1]).containsExactly(0f, 1f);
    }

    @Test
    void normalisedVectorsHaveLengthOne() {
        float[] v = MeanPooling.normalize(new float[] {3, 4});

        assertThat(v[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(v[1]).isCloseTo(0.8f, within(1e-6f));
    }

    @Test
    void aZeroVectorStaysZeroInsteadOfBecomingNaN() {
        assertThat(MeanPooling.normalize(new float[] {0, 0})).containsExactly(0f, 0f);
    }
}
