package dev.tollgate.upstream.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled all-MiniLM-L6-v2 model, loaded from its Maven artifact once for the class and run for real
 * with ONNX Runtime on this machine: vector shape, semantic sanity, batching and the tokenizer's counts.
 */
class OnnxEmbeddingModelIT {

    /** Pairs that mean nearly the same thing, each with an unrelated sentence. */
    static final String[][] TRIPLES = {
            {"A man is playing a guitar.", "Someone is strumming a guitar.", "The stock market fell sharply today."},
            {"How do I reset my password?", "I forgot my password and need to change it.", "The cat sleeps on the warm windowsill."},
            {"The weather is sunny and warm today.", "It is a bright, hot day outside.", "He compiled the Java project with Maven."},
            {"A child is eating an apple.", "A kid bites into a piece of fruit.", "The invoice was paid by bank transfer."},
            {"The train to Berlin is delayed.", "Our train to Berlin will arrive late.", "She planted tomatoes in the garden."},
    };

    static OnnxEmbeddingModel model;

    @BeforeAll
    static void load() {
        model = OnnxEmbeddingModel.load(BundledModel.ALL_MINILM_L6_V2_Q, Runtime.getRuntime().availableProcessors());
        System.out.printf("all-minilm-l6-v2-q loaded in %d ms%n", model.loadTime().toMillis());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void vectorsHaveTheModelsDimensionAndUnitLength() {
        List<float[]> vectors = model.embed(List.of(model.tokenize("Hello world"), model.tokenize("Tollgate bills per token.")));

        assertThat(vectors).hasSize(2).allSatisfy(v -> {
            assertThat(v).hasSize(384);
            assertThat(norm(v)).isCloseTo(1.0, within(1e-4));
        });
        assertThat(model.dimensions()).isEqualTo(384);
    }

    @Test
    void semanticallyCloseSentencesScoreHigherThanUnrelatedOnes() {
        for (String[] t : TRIPLES) {
            List<float[]> v = model.embed(List.of(model.tokenize(t[0]), model.tokenize(t[1]), model.tokenize(t[2])));
            double close = cosine(v.get(0), v.get(1));
            double unrelated = cosine(v.get(0), v.get(2));
            assertThat(close).as("'%s' ~ '%s' vs '%s'", t[0], t[1], t[2]).isGreaterThan(unrelated + 0.25);
            assertThat(close).isGreaterThan(0.5);
        }
    }

    @Test
    void aBatchGivesEachInputExactlyTheVectorItGetsAlone() {
        List<long[]> sequences = mixedLengths(40);

        List<float[]> batch = model.embed(sequences);

        assertThat(batch).hasSize(40);
        for (int i : new int[] {0, 1, 8, 33, 39}) {
            assertThat(batch.get(i)).as("input %d", i).containsExactly(model.embed(List.of(sequences.get(i))).getFirst());
        }
    }

    @Test
    void microBatchesKeepInputOrderAcrossSortingByLength() {
        // 70 inputs of very different lengths, sorted into several padded micro-batches inside.
        List<long[]> sequences = mixedLengths(70);

        List<float[]> batched = model.embed(sequences, 32);

        assertThat(batched).hasSize(70);
        for (int i = 0; i < 70; i += 7) {
            float[] alone = model.embed(List.of(sequences.get(i))).getFirst();
            // int8 dynamic quantization scales per batch tensor: close to the lone vector, not equal to it.
            assertThat(cosine(batched.get(i), alone)).as("input %d", i).isGreaterThan(0.97);
            assertThat(cosine(batched.get(i), alone)).isGreaterThan(cosine(batched.get(i), batched.get((i + 1) % 70)));
        }
    }

    private static List<long[]> mixedLengths(int count) {
        List<long[]> sequences = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sequences.add(model.tokenize(("sentence number " + i + " about topic " + (i * 7919 % 101) + " ").repeat(1 + i % 9)));
        }
        return sequences;
    }

    @Test
    void tokenizerAddsClsAndSepAndNeverTruncates() {
        long[] ids = model.tokenize("Hello, world!");
        assertThat(ids).containsExactly(101, 7592, 1010, 2088, 999, 102);

        // The exported tokenizer.json says "truncate at 128"; that must not apply, or long inputs would be billed short.
        long[] long_ = model.tokenize("hello world ".repeat(300));
        assertThat(long_).hasSize(602);
    }

    @Test
    void callerTokenIdsGetTheSameSpecialTokensAsText() {
        long[] fromText = model.tokenize("hello world");
        long[] fromIds = model.withSpecialTokens(Arrays.copyOfRange(fromText, 1, fromText.length - 1));

        assertThat(fromIds).containsExactly(fromText);
        assertThat(model.vocabularySize()).isEqualTo(30_522);
    }

    @Test
    void sequencesLongerThanThePositionEmbeddingsAreRefused() {
        long[] tooLong = model.tokenize("word ".repeat(600));

        assertThatThrownBy(() -> model.embed(List.of(tooLong))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("512");
    }

    @Test
    void loadingTheTokenizerOptsOutOfDjlTelemetry() {
        // DJL otherwise calls the EC2 metadata endpoint and a telemetry bucket whenever a tokenizer is created.
        assertThat(System.getProperty(DjlSettings.OPT_OUT_TRACKING)).isEqualTo("true");
        assertThat(System.getProperty(DjlSettings.OFFLINE)).isEqualTo("true");
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
