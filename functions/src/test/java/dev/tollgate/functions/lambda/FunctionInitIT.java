package dev.tollgate.functions.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.embeddings.InProcessModels;
import dev.tollgate.functions.wiring.EmbeddingsFactory.StartedInProcessModels;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a handler function's init leaves for later (docs/PERFORMANCE.md, "Cold start"). Regression: the start-up
 * check of the in-process models loaded the catalog at the init of every function, before its first event.
 */
class FunctionInitIT {

    @Test
    void theInProcessModelsAndTheirCatalogCheckWaitForTheirFirstUse() {
        try (LambdaHarness harness = LambdaHarness.start();
             ApplicationContext context = harness.context(FunctionRole.API, Map.of()).start()) {
            assertThat(context.getBean(StartedInProcessModels.class).loadTimes()).isEmpty();
            assertThat(context.getActiveBeanRegistrations(InProcessModels.class)).as("built at init").isEmpty();

            assertThat(context.getBean(InProcessModels.class)).as("built, and the catalog checked, on first use").isNotNull();
        }
    }

    @Test
    void preloadingStillLoadsTheModelsAtInit() {
        try (LambdaHarness harness = LambdaHarness.start();
             ApplicationContext context = harness.context(FunctionRole.API, Map.of("tollgate.embeddings.preload", true)).start()) {
            assertThat(context.getBean(StartedInProcessModels.class).loadTimes()).isNotEmpty();
        }
    }
}
