package dev.tollgate.functions.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.chat.ModelResolver;
import dev.tollgate.chat.UpstreamRouter;
import dev.tollgate.embeddings.EmbeddingService;
import dev.tollgate.embeddings.InProcessModels;
import dev.tollgate.functions.config.EmbeddingsConfig;
import dev.tollgate.functions.config.TollgateConfig;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.store.dynamo.DynamoBalanceStore;
import dev.tollgate.upstream.onnx.BundledModel;
import dev.tollgate.upstream.onnx.OnnxEmbeddingModel;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The embeddings use case and the in-process models it runs (loaded on first use, or at start-up if configured). */
@Factory
public class EmbeddingsFactory {

    /** The in-process models that ship with Tollgate, by the name catalog entries use in {@code upstream_model}. */
    @Singleton
    @Bean(preDestroy = "close")
    InProcessModels inProcessModels(EmbeddingsConfig config, Catalog catalog) {
        BundledModel miniLm = BundledModel.ALL_MINILM_L6_V2_Q;
        int cores = config.effectiveIntraOpThreads();
        int batch = config.getMicroBatch();
        Map<String, Supplier<OnnxEmbeddingModel>> loaders = Map.of(miniLm.name(),
                () -> OnnxEmbeddingModel.load(miniLm, cores, batch));
        AtomicInteger threads = new AtomicInteger();
        InProcessModels models = new InProcessModels(loaders, Executors.newFixedThreadPool(Math.max(1, config.getInferenceThreads()), r -> {
            Thread thread = new Thread(r, "tollgate-embeddings-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }));
        // A catalog entry naming an in-process model that does not exist fails here, naming it.
        models.checkCatalog(catalog);
        return models;
    }

    @Singleton
    EmbeddingService embeddingService(ModelResolver resolver, InProcessModels inProcess, UpstreamRouter router,
                                      TokenCounter tokens, RequestBilling billing, DynamoBalanceStore balances,
                                      TollgateConfig config, ObjectMapper json, Clock clock) {
        return new EmbeddingService(resolver, inProcess, router, tokens, billing, balances, config.getTopUpHint(), json, clock);
    }

    /**
     * At start-up: creates the in-process models, so that a catalog entry naming one that does not exist fails
     * the start rather than the first request; with {@code tollgate.embeddings.preload} the models also load now.
     *
     * <p>Except in the Lambda handler functions ({@code function} environment) without preloading: there the
     * check waits for the first use of the models (an embeddings request, or SnapStart priming in the
     * {@code api} function). Every route of those functions would otherwise pay for loading and checking the
     * catalog at init, before the first event, which most of them never need (docs/PERFORMANCE.md).
     */
    @Context
    StartedInProcessModels startInProcessModels(BeanProvider<InProcessModels> inProcess, EmbeddingsConfig config,
                                                Environment environment) {
        if (!config.isPreload() && environment.getActiveNames().contains(Environment.FUNCTION)) {
            return new StartedInProcessModels(Map.of());
        }
        InProcessModels models = inProcess.get();
        if (config.isPreload()) {
            models.preload();
        }
        return new StartedInProcessModels(models.loadTimes());
    }

    /** The in-process models as start-up left them: how long each preloaded one took (none when lazy). */
    public record StartedInProcessModels(Map<String, Duration> loadTimes) {
    }
}
