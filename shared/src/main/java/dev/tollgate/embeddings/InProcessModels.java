package dev.tollgate.embeddings;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.upstream.InProcessEmbeddingModel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process embedding models, by the name catalog entries give in {@code upstream_model} (with
 * {@code upstream} {@value #UPSTREAM}). Each is loaded on first use, once per process, and kept; loading
 * takes a second or two, so {@link #preload} can move it to start-up (and into a SnapStart snapshot).
 *
 * <p>Models run on their own small pool of platform threads, never on the caller's thread: a native call
 * pins a virtual thread to its carrier, and two pinned carriers on a two-core machine would stall every
 * other request. One session run already uses every core, so the pool is small (usually 1) and callers queue.
 */
public final class InProcessModels implements AutoCloseable {

    /** The {@code upstream} name that catalog entries use for in-process models. */
    public static final String UPSTREAM = "in-process";
    private static final Logger LOG = LoggerFactory.getLogger(InProcessModels.class);

    private final Map<String, Lazy> models = new LinkedHashMap<>();
    private final ExecutorService inference;

    /**
     * @param loaders   how to load each model by name; called at most once each, unless loading fails
     * @param inference runs the models; platform threads
     */
    public InProcessModels(Map<String, ? extends Supplier<? extends InProcessEmbeddingModel>> loaders,
                           ExecutorService inference) {
        loaders.forEach((name, loader) -> models.put(name, new Lazy(name, loader)));
        this.inference = inference;
    }

    public boolean serves(ModelEntry model) {
        return UPSTREAM.equals(model.upstream());
    }

    public Set<String> names() {
        return models.keySet();
    }

    /** Fails at start-up, naming the model, if the catalog routes a model to an in-process model that does not exist. */
    public void checkCatalog(Catalog catalog) {
        for (ModelEntry model : catalog.models()) {
            if (serves(model) && !models.containsKey(model.upstreamModel())) {
                throw new IllegalStateException("catalog model " + model.id() + " names in-process model "
                        + model.upstreamModel() + "; the in-process models are " + models.keySet());
            }
            if (serves(model) && !model.supports("embeddings")) {
                throw new IllegalStateException("catalog model " + model.id() + " is in-process, which only serves embeddings");
            }
        }
    }

    /** The model, loading it now if this is its first use; 503 if it cannot be loaded. */
    public InProcessEmbeddingModel model(String name) {
        Lazy lazy = models.get(name);
        if (lazy == null) {
            throw new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE, "The in-process model " + name
                    + " is not available in this deployment. Use another model (GET /v1/models).");
        }
        return lazy.get();
    }

    /** Loads every model now. */
    public void preload() {
        models.values().forEach(Lazy::get);
    }

    /** How long each loaded model took to load. */
    public Map<String, Duration> loadTimes() {
        Map<String, Duration> times = new LinkedHashMap<>();
        models.forEach((name, lazy) -> {
            if (lazy.loadTime != null) {
                times.put(name, lazy.loadTime);
            }
        });
        return times;
    }

    /** Runs {@code model} on the inference pool and waits for the vectors. */
    public List<float[]> embed(InProcessEmbeddingModel model, List<long[]> sequences) {
        Future<List<float[]>> result = inference.submit(() -> model.embed(sequences));
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + model.name(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(model.name() + " failed", e.getCause());
        }
    }

    @Override
    public void close() {
        inference.shutdownNow();
        for (Lazy lazy : models.values()) {
            if (lazy.model instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("closing in-process model {} failed", lazy.name, e);
                }
            }
        }
    }

    /** Loads once. A lock, not {@code synchronized}: a virtual thread waiting in a monitor would pin its carrier (JDK 21). */
    private static final class Lazy {
        private final String name;
        private final Supplier<? extends InProcessEmbeddingModel> loader;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile InProcessEmbeddingModel model;
        private volatile Duration loadTime;

        Lazy(String name, Supplier<? extends InProcessEmbeddingModel> loader) {
            this.name = name;
            this.loader = loader;
        }

        InProcessEmbeddingModel get() {
            InProcessEmbeddingModel loaded = model;
            if (loaded != null) {
                return loaded;
            }
            lock.lock();
            try {
                if (model == null) {
                    long start = System.nanoTime();
                    try {
                        model = loader.get();
                    } catch (RuntimeException e) {
                        LOG.error("in-process embedding model {} failed to load", name, e);
                        throw new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE, "The in-process model " + name
                                + " could not be loaded. Retry in a moment or use another model.", null, Map.of(), e);
                    }
                    loadTime = Duration.ofNanos(System.nanoTime() - start);
                    LOG.info("loaded in-process embedding model {} in {} ms", name, loadTime.toMillis());
                }
                return model;
            } finally {
                lock.unlock();
            }
        }
    }
}
