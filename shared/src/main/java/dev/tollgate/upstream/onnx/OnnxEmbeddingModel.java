package dev.tollgate.upstream.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tollgate.upstream.InProcessEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link BundledModel} run with ONNX Runtime: each micro-batch of sequences is one session run, and the
 * token vectors are mean-pooled under the attention mask and normalised ({@link MeanPooling}), as
 * sentence-transformers does.
 *
 * <p>Micro-batches hold one sequence by default ({@link #DETERMINISTIC}). The bundled model is int8 with
 * dynamic quantization, whose scales are computed over the whole batch tensor: a sentence embedded next to
 * others (or next to padding) comes out slightly different (cosine ≈ 0.985 to itself alone) than alone. A
 * vector must not depend on what else was in the request, so batching is an operator's opt-in trade
 * ({@code maxBatch} &gt; 1: up to a third more sentences per second on large requests, docs/PERFORMANCE.md). Batched
 * sequences are sorted by length so padding stays small, and returned in input order.
 *
 * <p>Loading reads the model and tokenizer from the classpath; nothing is downloaded. ONNX Runtime unpacks
 * its native library to {@code java.io.tmpdir} and DJL unpacks the tokenizer's to {@code ~/.djl.ai} (or
 * {@code java.io.tmpdir/.djl.ai} when the home directory is read-only, as on Lambda); both jars carry
 * linux x86_64 and aarch64 builds. Thread-safe: {@link OrtSession#run} may be called concurrently.
 */
public final class OnnxEmbeddingModel implements InProcessEmbeddingModel, AutoCloseable {

    /** One sequence per session run: every input's vector is the same whatever else is in the request. */
    public static final int DETERMINISTIC = 1;
    /** Padded tokens per session run when batching. */
    static final int MAX_BATCH_TOKENS = 8_192;
    private static final String OUTPUT = "last_hidden_state";

    private final BundledModel spec;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final boolean wantsTokenTypes;
    private final ModelTokenizer tokenizer;
    private final int maxBatch;
    private final Duration loadTime;

    private OnnxEmbeddingModel(BundledModel spec, OrtEnvironment environment, OrtSession session,
                               ModelTokenizer tokenizer, int maxBatch, Duration loadTime) {
        this.spec = spec;
        this.maxBatch = maxBatch;
        this.environment = environment;
        this.session = session;
        this.wantsTokenTypes = session.getInputNames().contains("token_type_ids");
        this.tokenizer = tokenizer;
        this.loadTime = loadTime;
    }

    /** Loads {@code spec} from the classpath, one sequence per session run. */
    public static OnnxEmbeddingModel load(BundledModel spec, int intraOpThreads) {
        return load(spec, intraOpThreads, DETERMINISTIC);
    }

    /**
     * Loads {@code spec} from the classpath.
     *
     * @param intraOpThreads threads one session run may use; the machine's cores is the sensible value
     * @param maxBatch       sequences per session run; above {@link #DETERMINISTIC} vectors depend slightly
     *                       on the batch they were in
     */
    public static OnnxEmbeddingModel load(BundledModel spec, int intraOpThreads, int maxBatch) {
        long start = System.nanoTime();
        byte[] graph = resource(spec.modelResource());
        ModelTokenizer tokenizer = ModelTokenizer.fromJson(resource(spec.tokenizerResource()));
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Math.max(1, intraOpThreads));
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // ONNX Runtime's pool threads otherwise spin on a core after each run, waiting for the next: CPU that
            // the rest of the gateway (and a Lambda bill) needs more than a few microseconds of latency.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = environment.createSession(graph, options);
            Set<String> outputs = session.getOutputNames();
            if (!outputs.contains(OUTPUT)) {
                session.close();
                throw new IllegalStateException(spec.name() + " has no " + OUTPUT + " output, only " + outputs);
            }
            return new OnnxEmbeddingModel(spec, environment, session, tokenizer, Math.max(1, maxBatch),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (OrtException e) {
            tokenizer.close();
            throw new IllegalStateException("cannot load the ONNX model " + spec.name(), e);
        }
    }

    /** How long {@link #load} took: reading the resources, the tokenizer and the ONNX session. */
    public Duration loadTime() {
        return loadTime;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public int dimensions() {
        return spec.dimensions();
    }

    @Override
    public int maxSequenceLength() {
        return spec.maxSequenceLength();
    }

    @Override
    public int vocabularySize() {
        return tokenizer.vocabularySize();
    }

    @Override
    public long[] tokenize(String text) {
        return tokenizer.tokenize(text);
    }

    @Override
    public long[] withSpecialTokens(long[] tokenIds) {
        return tokenizer.withSpecialTokens(tokenIds);
    }

    @Override
    public List<float[]> embed(List<long[]> sequences) {
        return embed(sequences, maxBatch);
    }

    List<float[]> embed(List<long[]> sequences, int maxBatch) {
        for (long[] sequence : sequences) {
            if (sequence.length == 0 || sequence.length > spec.maxSequenceLength()) {
                throw new IllegalArgumentException(spec.name() + " takes 1 to " + spec.maxSequenceLength()
                        + " tokens per sequence, got " + sequence.length);
            }
        }
        Integer[] order = new Integer[sequences.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> sequences.get(i).length));
        float[][] vectors = new float[sequences.size()][];
        int from = 0;
        while (from < order.length) {
            int to = batchEnd(sequences, order, from, maxBatch);
            List<long[]> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(sequences.get(order[i]));
            }
            float[][] pooled = run(batch);
            for (int i = from; i < to; i++) {
                vectors[order[i]] = pooled[i - from];
            }
            from = to;
        }
        return Arrays.asList(vectors);
    }

    /** The end of the micro-batch starting at {@code from}: sorted ascending, so the last one is the widest. */
    private static int batchEnd(List<long[]> sequences, Integer[] order, int from, int maxBatch) {
        int to = from + 1;
        while (to < order.length && to - from < maxBatch
                && (long) sequences.get(order[to]).length * (to - from + 1) <= MAX_BATCH_TOKENS) {
            to++;
        }
        return to;
    }

    private float[][] run(List<long[]> batch) {
        int rows = batch.size();
        int width = batch.getLast().length;
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        int[] lengths = new int[rows];
        for (int r = 0; r < rows; r++) {
            long[] sequence = batch.get(r);
            lengths[r] = sequence.length;
            System.arraycopy(sequence, 0, ids, r * width, sequence.length);
            Arrays.fill(mask, r * width, r * width + sequence.length, 1L);
        }
        long[] shape = {rows, width};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (wantsTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[rows * width]), shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(OUTPUT))) {
                OnnxTensor hidden = (OnnxTensor) result.get(OUTPUT).orElseThrow();
                FloatBuffer values = hidden.getFloatBuffer();
                return MeanPooling.pool(values, width, spec.dimensions(), lengths);
            }
        } catch (OrtException e) {
            throw new IllegalStateException(spec.name() + " failed to run on a batch of " + rows + " x " + width, e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = OnnxEmbeddingModel.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("model resource " + name + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model resource " + name, e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing anyway
        } finally {
            tokenizer.close();
        }
    }
}
