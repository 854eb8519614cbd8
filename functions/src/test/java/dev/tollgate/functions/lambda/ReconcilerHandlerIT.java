package dev.tollgate.functions.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.accounts.AccountService;
import dev.tollgate.billing.BalanceStore;
import dev.tollgate.billing.Hold;
import dev.tollgate.money.Money;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The {@code reconciler} function's handler with the EventBridge schedule event of
 * {@code events/schedule/reconciler.json}: an expired hold (its chat function died before settling) goes
 * back to the balance, and the run reports {@code ReleasedHolds} as an Embedded Metric Format line.
 */
class ReconcilerHandlerIT {

    @Test
    @SuppressWarnings("unchecked")
    void releasesExpiredHoldsAndWritesTheMetric() throws Exception {
        try (LambdaHarness harness = LambdaHarness.start();
             ApplicationContext context = harness.context(FunctionRole.RECONCILER, Map.of()).start()) {
            AccountService.Opened opened = context.getBean(AccountService.class).open("reconciler", Money.parseDollars("1.00"));
            String accountId = opened.account().accountId();
            BalanceStore balances = context.getBean(BalanceStore.class);
            Instant now = Instant.now();
            balances.reserve(new Hold("hold_reconciler_it", accountId, opened.key().keyId(), opened.key().secretHash(), false,
                    Money.parseDollars("0.25"), "gemma3:1b", now.minus(Duration.ofMinutes(30)), now.minus(Duration.ofMinutes(10))));
            assertThat(balances.balance(accountId)).contains(Money.parseDollars("0.75"));
            List<String> lines = new CopyOnWriteArrayList<>();
            ReconcilerHandler handler = new ReconcilerHandler(context, new EmfMetrics(lines::add, "Tollgate-test-reconciler"));
            Map<String, Object> event = LambdaHarness.json(
                    Files.readString(LambdaHarness.EVENTS.resolve("schedule/reconciler.json")), Map.class);

            Map<String, Object> result = handler.handleRequest(event, new MockLambdaContext());

            assertThat(result).containsEntry("released", 1).containsEntry("alert_deliveries", 0)
                    .containsEntry("auto_topups_started", 0);
            assertThat(balances.balance(accountId)).contains(Money.parseDollars("1.00"));
            assertThat(handler.handleRequest(event, new MockLambdaContext())).as("nothing left the next minute")
                    .containsEntry("released", 0);
            assertThat(lines).hasSize(2);
            JsonNode emf = LambdaHarness.json(lines.getFirst(), JsonNode.class);
            JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo("Tollgate");
            assertThat(directive.path("Dimensions").get(0).get(0).asText()).isEqualTo("FunctionName");
            assertThat(directive.path("Metrics").findValuesAsText("Name")).containsExactly("AlertDeliveriesRetried",
                    "AutoTopUpsStarted", "ReconcileMillis", "ReleasedHolds");
            assertThat(emf.path("FunctionName").asText()).isEqualTo("Tollgate-test-reconciler");
            assertThat(emf.path("ReleasedHolds").asInt()).isEqualTo(1);
            assertThat(emf.path("_aws").path("Timestamp").asLong()).isPositive();
        }
    }
}
