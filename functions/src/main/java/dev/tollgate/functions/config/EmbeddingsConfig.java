package dev.tollgate.functions.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code tollgate.embeddings.*}: how the in-process embedding models run.
 *
 * <p>{@code preload}: load the models at start-up instead of on the first embeddings request (a cold load
 * takes about 1–2 s; with SnapStart, preloading puts the loaded model in the snapshot).
 * {@code inference-threads}: model runs at once; each run already uses {@code intra-op-threads} cores
 * (0 = all), so 1 is right for small machines and Lambda. {@code micro-batch}: inputs per model run; 1
 * keeps every vector independent of the other inputs of its request (the int8 model's quantization is
 * computed per batch), larger values trade that for throughput (docs/PERFORMANCE.md, "Embeddings").
 */
@ConfigurationProperties("tollgate.embeddings")
public class EmbeddingsConfig {

    private boolean preload;
    private int inferenceThreads = 1;
    private int intraOpThreads;
    private int microBatch = 1;

    public boolean isPreload() {
        return preload;
    }

    public void setPreload(boolean preload) {
        this.preload = preload;
    }

    public int getInferenceThreads() {
        return inferenceThreads;
    }

    public void setInferenceThreads(int inferenceThreads) {
        this.inferenceThreads = inferenceThreads;
    }

    public int getIntraOpThreads() {
        return intraOpThreads;
    }

    public void setIntraOpThreads(int intraOpThreads) {
        this.intraOpThreads = intraOpThreads;
    }

    public int getMicroBatch() {
        return microBatch;
    }

    public void setMicroBatch(int microBatch) {
        this.microBatch = microBatch;
    }

    /** The cores one model run may use. */
    public int effectiveIntraOpThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }
}
