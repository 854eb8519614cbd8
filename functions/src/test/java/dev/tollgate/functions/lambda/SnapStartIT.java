package dev.tollgate.functions.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.embeddings.InProcessModels;
import dev.tollgate.functions.config.StripeConfig;
import dev.tollgate.functions.secrets.SecretsRestoreHook;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.topups.CheckoutGateway;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.DefaultBeanContext;
import io.micronaut.crac.OrderedResource;
import io.micronaut.crac.resources.NettyEmbeddedServerResource;
import io.micronaut.crac.test.CheckpointSimulator;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SnapStart life cycle of the {@code api} function under micronaut-crac's {@link CheckpointSimulator}
 * (the CRaC hooks Lambda runs around its snapshot): priming loads what it should and leaves the beans
 * built from secrets alone, secrets filled in or rotated between snapshot and restore are in force after it,
 * and the admin token follows a rotation while the restored instance runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapStartIT {

    private LambdaHarness harness;
    private ApplicationContext context;
    private ApiHandler handler;

    @BeforeAll
    void start() {
        harness = LambdaHarness.start();
        context = harness.context(FunctionRole.API, Map.of("tollgate.admin.token-ttl", "0s")).build();
        handler = new ApiHandler(context);
    }

    @AfterAll
    void stop() {
        handler.close();
        context.close();
        harness.close();
    }

    private int openAccount(String adminToken) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(LambdaHarness.event("api/admin-accounts-create.json",
                Map.of("TOLLGATE_ADMIN_TOKEN", adminToken)), new MockLambdaContext());
        return response.getStatusCode();
    }

    @Test
    void primesBeforeTheSnapshotAndReadsRotatedSecretsAfterTheRestore() {
        assertThat(context.getBeansOfType(OrderedResource.class)).as("registered CRaC resources")
                .hasAtLeastOneElementOfType(SnapStartPriming.class)
                .hasAtLeastOneElementOfType(SecretsRestoreHook.class)
                .noneMatch(resource -> resource instanceof NettyEmbeddedServerResource);
        CheckpointSimulator simulator = context.getBean(CheckpointSimulator.class);

        simulator.runBeforeCheckpoint();

        SnapStartPriming.Report report = context.getBean(SnapStartPriming.class).lastReport();
        assertThat(report.millis()).containsOnlyKeys("catalog", "tokenizer", "embeddings", "dynamodb", "models", "http");
        assertThat(report.failed()).isEmpty();
        DefaultBeanContext beans = (DefaultBeanContext) context;
        assertThat(beans.getActiveBeanRegistrations(Catalog.class)).isNotEmpty();
        assertThat(beans.getActiveBeanRegistrations(TokenCounter.class)).isNotEmpty();
        assertThat(beans.getActiveBeanRegistrations(InProcessModels.class)).isNotEmpty();
        assertThat(beans.getActiveBeanRegistrations(CheckoutGateway.class))
                .as("the Stripe client is built from a secret: not before the snapshot").isEmpty();
        assertThat(beans.getActiveBeanRegistrations(EmbeddedServer.class))
                .as("the api function serves through the proxy handler: no Netty server in its snapshot").isEmpty();

        // The operator fills in the Stripe key after the first deploy, whose snapshot holds the placeholder,
        // and rotates the admin token.
        harness.secrets.put("tollgate/test/stripe-api-key", "sk_live_filled_in_after_deploy");
        harness.secrets.put("tollgate/test/admin-token", "adm_rotated_after_snapshot");
        harness.secrets.clearCalls();
        simulator.runAfterRestore();

        assertThat(harness.secrets.calls()).as("read again once after the restore").hasSize(2);
        assertThat(context.getBean(StripeConfig.class).getApiKey()).isEqualTo("sk_live_filled_in_after_deploy");
        assertThat(openAccount("adm_rotated_after_snapshot")).isEqualTo(201);
        assertThat(openAccount(LambdaHarness.ADMIN_TOKEN)).isEqualTo(401);

        // Rotated again while the restored instance runs, its admin filter already built: in force after the
        // token's TTL (zero here), with no restore and no new version.
        harness.secrets.put("tollgate/test/admin-token", "adm_rotated_while_running");
        assertThat(openAccount("adm_rotated_while_running")).isEqualTo(201);
        assertThat(openAccount("adm_rotated_after_snapshot")).isEqualTo(401);
        assertThat(beans.getActiveBeanRegistrations(EmbeddedServer.class))
                .as("nor a listening one after the restore").noneMatch(server -> server.bean().isRunning());
    }
}
