package dev.tollgate.functions.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.accounts.AccountService;
import dev.tollgate.billing.BalanceStore;
import dev.tollgate.billing.Hold;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.money.Money;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * On Lambda the metrics of docs/METRICS.md are Embedded Metric Format lines on stdout, which CloudWatch Logs turns
 * into metrics. The {@code api} function's handler is invoked as Lambda would (events from {@code events/}), its
 * stdout captured, and the EMF lines read back: names, dimensions (the tags) and values.
 */
class EmfMetricsIT {

    @Test
    void aBufferedChatAndARefusalWriteTheirRequestsTokensAndMicroDollars() {
        try (LambdaHarness harness = LambdaHarness.start()) {
            ApplicationContext context = harness.context(FunctionRole.API, Map.of()).build();
            ApiHandler handler = new ApiHandler(context);
            try {
                String key = LambdaHarness.openAccount(context, "5.00");
                List<JsonNode> ok = emfLines(() -> handler.handleRequest(LambdaHarness.event("api/chat-completions-buffered.json",
                        Map.of("TOLLGATE_API_KEY", key)), new MockLambdaContext()), 200);
                List<JsonNode> refused = emfLines(() -> handler.handleRequest(LambdaHarness.event(
                        "api/chat-completions-buffered.json", Map.of("TOLLGATE_API_KEY", "sk-wrong")), new MockLambdaContext()), 401);

                long cost = context.getBean(Catalog.class).find("gemma3:1b").orElseThrow().pricing().cost(11, 3).micros();
                JsonNode request = line(ok, "tollgate.requests");
                assertThat(dimensions(request)).containsExactly("endpoint", "model", "status");
                assertThat(request.path("endpoint").asText()).isEqualTo("chat");
                assertThat(request.path("model").asText()).isEqualTo("gemma3:1b");
                assertThat(request.path("status").asText()).isEqualTo("ok");
                assertThat(request.path("tollgate.requests").asLong()).isEqualTo(1);
                assertThat(unit(request, "tollgate.requests")).isEqualTo("Count");
                JsonNode charged = line(ok, "tollgate.charged.microusd");
                assertThat(dimensions(charged)).containsExactly("model");
                assertThat(charged.path("tollgate.charged.microusd").asLong()).isEqualTo(cost).isPositive();
                List<JsonNode> tokens = ok.stream().filter(l -> l.has("tollgate.tokens")).toList();
                assertThat(tokens).hasSize(2);
                for (JsonNode line : tokens) {
                    assertThat(dimensions(line)).containsExactly("model", "direction");
                    assertThat(line.path("tollgate.tokens").asLong())
                            .isEqualTo(line.path("direction").asText().equals("in") ? 11 : 3);
                }
                JsonNode upstream = line(ok, "tollgate.upstream.duration");
                assertThat(dimensions(upstream)).containsExactly("upstream", "outcome");
                assertThat(upstream.path("outcome").asText()).isEqualTo("ok");
                assertThat(upstream.path("tollgate.upstream.duration").isArray()).as("timers are value arrays").isTrue();
                assertThat(upstream.path("tollgate.upstream.duration").get(0).asDouble()).isPositive();
                assertThat(unit(upstream, "tollgate.upstream.duration")).isEqualTo("Milliseconds");
                assertThat(ok).as("the key lookup, a miss on a fresh instance").anyMatch(l -> l.has("tollgate.cache.requests")
                        && l.path("cache").asText().equals("key") && l.path("result").asText().equals("miss"));

                JsonNode refusal = line(refused, "tollgate.requests");
                assertThat(refusal.path("status").asText()).isEqualTo("refused");
                assertThat(refusal.path("model").asText()).isEqualTo("none");
                assertThat(refused).noneMatch(l -> l.has("tollgate.charged.microusd"));
            } finally {
                handler.close();
                context.close();
            }
        }
    }

    @Test
    void theReconcilerWritesItsRunAndTheOverdueHoldsItFound() throws Exception {
        try (LambdaHarness harness = LambdaHarness.start();
             ApplicationContext context = harness.context(FunctionRole.RECONCILER, Map.of()).start()) {
            AccountService.Opened opened = context.getBean(AccountService.class).open("emf", Money.parseDollars("1.00"));
            Instant now = Instant.now();
            context.getBean(BalanceStore.class).reserve(new Hold("hold_emf_it", opened.account().accountId(),
                    opened.key().keyId(), opened.key().secretHash(), false, Money.parseDollars("0.25"), "gemma3:1b",
                    now.minus(Duration.ofMinutes(30)), now.minus(Duration.ofMinutes(10))));
            ReconcilerHandler handler = new ReconcilerHandler(context, new EmfMetrics(line -> { }, "test"));

            List<JsonNode> lines = emfLines(() -> handler.handleRequest(Map.of(), new MockLambdaContext()), null);

            JsonNode run = line(lines, "tollgate.reconciler.runs");
            assertThat(dimensions(run)).isEmpty();
            assertThat(run.path("tollgate.reconciler.runs").asLong()).isEqualTo(1);
            assertThat(run.path("tollgate.reconciler.released").asLong()).isEqualTo(1);
            assertThat(run.path("tollgate.holds.open").get(0).asDouble()).isEqualTo(1);
            assertThat(run.path("tollgate.holds.oldest.age").get(0).asDouble()).isBetween(29 * 60.0, 40 * 60.0);
            assertThat(unit(run, "tollgate.holds.oldest.age")).isEqualTo("Seconds");
        }
    }

    /** Runs {@code invocation} with stdout captured, and returns the EMF lines it wrote. */
    private static List<JsonNode> emfLines(Supplier<?> invocation, Integer status) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Object result;
        try {
            result = invocation.get();
        } finally {
            System.setOut(original);
        }
        if (status != null) {
            assertThat(((APIGatewayProxyResponseEvent) result).getStatusCode()).isEqualTo(status);
        }
        List<JsonNode> lines = new ArrayList<>();
        Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> l.startsWith("{\"_aws\""))
                .forEach(l -> lines.add(LambdaHarness.json(l, JsonNode.class)));
        lines.forEach(l -> assertThat(l.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText())
                .isEqualTo("Tollgate"));
        return lines;
    }

    private static JsonNode line(List<JsonNode> lines, String metric) {
        return lines.stream().filter(l -> l.has(metric)).findFirst()
                .orElseThrow(() -> new AssertionError("no EMF line with " + metric + " in " + lines));
    }

    private static List<String> dimensions(JsonNode line) {
        List<String> names = new ArrayList<>();
        line.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").get(0).forEach(d -> names.add(d.asText()));
        return names;
    }

    private static String unit(JsonNode line, String metric) {
        for (JsonNode m : line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")) {
            if (m.path("Name").asText().equals(metric)) {
                return m.path("Unit").asText();
            }
        }
        throw new AssertionError(metric + " is not declared in " + line);
    }
}
