package dev.tollgate.functions.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.bind.ArgumentBinder;
import io.micronaut.core.convert.ConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.RequestBinderRegistry;
import io.micronaut.inject.ExecutableMethod;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every billed endpoint's {@code @RequestBean SpendParams} is bound by {@link SpendParamsBinder}, not by Micronaut's
 * general request-bean binder, and it reads the same query value and headers. The endpoints' behaviour with those
 * values is tested end to end (DryRunQuoteIT, CostCeilingIT, AffordModeIT); nothing here reaches DynamoDB.
 */
class SpendParamsBinderTest {

    private static final List<Class<?>> BILLED = List.of(ChatCompletionsController.class, CompletionsController.class,
            MessagesController.class, ResponsesController.class, EmbeddingsController.class);

    private static ApplicationContext run() {
        return ApplicationContext.builder().properties(Map.of("tollgate.dynamodb.endpoint", "http://127.0.0.1:9"))
                .start();
    }

    @Test
    void everyBilledEndpointBindsItsSpendingControlsWithTheDirectBinder() {
        try (ApplicationContext context = run()) {
            RequestBinderRegistry registry = context.getBean(RequestBinderRegistry.class);
            int bound = 0;
            for (Class<?> controller : BILLED) {
                for (ExecutableMethod<?, ?> method : context.getBeanDefinition(controller).getExecutableMethods()) {
                    for (Argument<?> argument : method.getArguments()) {
                        if (argument.getType() == SpendParams.class) {
                            assertThat(registry.findArgumentBinder(argument)).as(controller.getSimpleName())
                                    .get().isInstanceOf(SpendParamsBinder.class);
                            bound++;
                        }
                    }
                }
            }
            assertThat(bound).as("one spend-controls argument per billed endpoint").isEqualTo(BILLED.size());
        }
    }

    @Test
    void itReadsTheDryRunQueryValueAndTheCeilingAndAffordHeaders() {
        SpendParamsBinder binder = new SpendParamsBinder();
        HttpRequest<?> request = HttpRequest.POST("/v1/chat/completions?dry_run=true", "")
                .header("X-Tollgate-Max-Cost-USD", "0.05").header("x-tollgate-afford", "clamp");

        ArgumentBinder.BindingResult<SpendParams> result = binder.bind(
                ConversionContext.of(Argument.of(SpendParams.class)), request);

        assertThat(result.isPresentAndSatisfied()).isTrue();
        assertThat(result.get()).isEqualTo(new SpendParams("true", "0.05", "clamp"));
        assertThat(result.get().isDryRun()).isTrue();

        SpendParams none = binder.bind(ConversionContext.of(Argument.of(SpendParams.class)),
                HttpRequest.POST("/v1/chat/completions", "")).get();
        assertThat(Arrays.asList(none.dryRun(), none.maxCost(), none.afford())).containsOnlyNulls();
        assertThat(none.isDryRun()).isFalse();
    }

    @Test
    void aRepeatedValueBindsItsFirstAsTheFiltersReadItAndOnlyTheDocumentedNamesAreRead() {
        SpendParamsBinder binder = new SpendParamsBinder();
        HttpRequest<?> repeated = HttpRequest.POST("/v1/chat/completions?dry_run=true&dry_run=false", "")
                .header("x-tollgate-afford", "clamp").header("x-tollgate-afford", "refuse");
        SpendParams first = binder.bind(ConversionContext.of(Argument.of(SpendParams.class)), repeated).get();
        assertThat(first.dryRun()).isEqualTo("true");
        assertThat(first.afford()).isEqualTo("clamp");
        assertThat(SpendParams.asksForQuote(repeated)).isTrue();

        HttpRequest<?> aliases = HttpRequest.POST("/v1/chat/completions?dry-run=true", "")
                .header("Max-Cost", "0.05").header("Afford", "clamp");
        SpendParams none = binder.bind(ConversionContext.of(Argument.of(SpendParams.class)), aliases).get();
        assertThat(Arrays.asList(none.dryRun(), none.maxCost(), none.afford())).containsOnlyNulls();
        assertThat(SpendParams.asksForQuote(aliases)).isFalse();
    }

    @Test
    void theFiltersTakeABareOrTrueDryRunAsAQuoteAndNothingElse() {
        assertThat(SpendParams.asksForQuote(HttpRequest.POST("/v1/chat/completions?dry_run", ""))).isTrue();
        assertThat(SpendParams.asksForQuote(HttpRequest.POST("/v1/chat/completions?dry_run=TRUE", ""))).isTrue();
        assertThat(SpendParams.asksForQuote(HttpRequest.POST("/v1/chat/completions?dry_run=false", ""))).isFalse();
        assertThat(SpendParams.asksForQuote(HttpRequest.POST("/v1/chat/completions?dry_run=maybe", ""))).isFalse();
        assertThat(SpendParams.asksForQuote(HttpRequest.POST("/v1/chat/completions", ""))).isFalse();
    }
}
