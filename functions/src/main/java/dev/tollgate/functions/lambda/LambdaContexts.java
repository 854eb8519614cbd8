package dev.tollgate.functions.lambda;

import dev.tollgate.functions.secrets.SecretsPropertySource;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.Environment;
import io.micronaut.function.aws.MicronautLambdaContext;
import java.util.Map;

/**
 * Builds the application context of each Lambda entry point: the role's environment, the role as a bean,
 * and the secrets the function's environment names ({@link SecretsPropertySource}).
 *
 * <p>Singletons are created lazily, unlike Micronaut's Lambda default (eager singletons):
 * eager creation would build every bean in every function (the embedding model in the webhook function,
 * upstream clients in the reconciler) and make the cold start of a cheap route pay for all of them.
 * SnapStart functions warm what they need explicitly before the snapshot ({@link SnapStartPriming}).
 */
public final class LambdaContexts {

    private LambdaContexts() {
    }

    /**
     * A Lambda handler's context builder: Micronaut's Lambda environments plus {@link #configure}. Not
     * {@code LambdaApplicationContextBuilder}: it switches eager initialisation on, and the builder has no
     * way to switch it off again ({@code eagerInitSingletons(false)} is a no-op).
     */
    public static ApplicationContextBuilder forHandler(FunctionRole role, Map<String, String> env) {
        ApplicationContextBuilder builder = ApplicationContext.builder(Environment.FUNCTION, MicronautLambdaContext.ENVIRONMENT_LAMBDA)
                // micronaut-crac publishes a RefreshEvent before each checkpoint to rebuild @Refreshable beans after
                // the restore. Tollgate has none, and the event would build the (idle) Netty server, one of its
                // listeners, into the snapshot of a function that serves through the proxy handler.
                .properties(Map.of("crac.refresh-beans", false));
        return configure(builder, role, env);
    }

    /**
     * Adds the role, its environment and the secrets to {@code builder} (also used by the chat server). The
     * secrets are read on a background thread while the context starts, and put in the environment when it
     * has started ({@code SecretsStartupHook}): that overlaps the Secrets Manager client's start-up and the
     * reads with Micronaut's own, about 0.3 s of a cold start on two cores.
     */
    public static <B extends ApplicationContextBuilder> B configure(B builder, FunctionRole role, Map<String, String> env) {
        builder.environments(role.environment())
                .banner(false)
                // No bootstrap context (distributed configuration). Saying so spares Micronaut a scan of every service
                // entry in the jar for a bootstrap locator, the largest single item of a cold start (docs/PERFORMANCE.md).
                .bootstrapEnvironment(false)
                // The environments are the ones named here; no probing of the host for cloud platforms.
                .deduceEnvironment(false)
                .deduceCloudEnvironment(false)
                .singletons(role);
        SecretsPropertySource secrets = SecretsPropertySource.readInBackground(env);
        if (!secrets.isEmpty()) {
            builder.singletons(secrets);
        }
        return builder;
    }
}
