package dev.tollgate.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.catalog.EmbeddingSpec;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.testkit.ExpectedLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Lazy, once-per-process loading of in-process models, and the start-up check of the catalog against them. */
class InProcessModelsTest {

    @Test
    void aModelLoadsOnceHoweverManyRequestsArriveAtOnce() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        FakeInProcessModel model = new FakeInProcessModel();
        try (InProcessModels models = models(() -> {
            loads.incrementAndGet();
            return model;
        }); ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                results.add(callers.submit(() -> {
                    go.await();
                    return models.model(model.name());
                }));
            }
            go.countDown();
            for (Future<?> result : results) {
                assertThat(result.get()).isSameAs(model);
            }
            assertThat(loads).hasValue(1);
            assertThat(models.loadTimes()).containsOnlyKeys(model.name());
        }
    }

    @Test
    void aFailedLoadIsA503AndIsTriedAgainNextTime() {
        AtomicInteger attempts = new AtomicInteger();
        FakeInProcessModel model = new FakeInProcessModel();
        try (InProcessModels models = models(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("native library missing");
            }
            return model;
        })) {
            ApiException e;
            try (ExpectedLog log = ExpectedLog.of(InProcessModels.class)) {
                e = catchThrowableOfType(ApiException.class, () -> models.model(model.name()));
                assertThat(log.errors()).singleElement().asString().endsWith("failed to load: native library missing");
            }

            assertThat(e.status()).isEqualTo(503);
            assertThat(models.model(model.name())).isSameAs(model);
        }
    }

    @Test
    void modelsRunOnTheInferencePoolNotOnTheCallersThread() {
        FakeInProcessModel model = new FakeInProcessModel();
        try (InProcessModels models = models(() -> model)) {
            List<float[]> vectors = models.embed(model, List.of(model.tokenize("a b")));

            assertThat(vectors).hasSize(1);
            assertThat(model.runs).hasValue(1);
        }
    }

    @Test
    void theCatalogMayOnlyNameInProcessModelsThatExist() {
        ModelEntry typo = new ModelEntry("test/typo", InProcessModels.UPSTREAM, "all-minilm-l6-v3", 256, 0,
                ModelPricing.FREE, Set.of("embeddings"), "t", "o200k_base", List.of(), "", new EmbeddingSpec(384, 256, false));
        try (InProcessModels models = models(FakeInProcessModel::new)) {
            models.checkCatalog(CatalogLoader.loadDefault());

            Catalog broken = CatalogLoader.loadDefault().overlay(List.of(typo));
            assertThatThrownBy(() -> models.checkCatalog(broken)).hasMessageContaining("test/typo")
                    .hasMessageContaining("all-minilm-l6-v3");
        }
    }

    private static InProcessModels models(Supplier<FakeInProcessModel> loader) {
        return new InProcessModels(Map.of("all-minilm-l6-v2-q", loader), Executors.newSingleThreadExecutor());
    }
}
