package dev.tollgate.functions.container;

import dev.tollgate.functions.secrets.SecretsPropertySource;
import io.micronaut.runtime.Micronaut;
import java.util.HashMap;
import java.util.Map;

/**
 * Entry point of the container image (container/entrypoint.sh starts it): the same Micronaut application as the
 * local server and the chat function, every route on one Netty server, against the DynamoDB tables the
 * environment names. Nothing is embedded and no table is created: the tables belong to the stack, as on Lambda.
 *
 * <p>Configuration is the environment, the Micronaut way (TOLLGATE_DYNAMODB_TABLE_PREFIX, MICRONAUT_SERVER_PORT,
 * TOLLGATE_RECONCILER_ENABLED, ...), plus the secrets whose ARNs it names (TOLLGATE_SECRET_ARN_*, read as on
 * Lambda by {@link SecretsPropertySource}). The DynamoDB region defaults to the task's AWS_REGION.
 *
 * <p>SIGTERM (ECS stopping a task, a deploy) runs Micronaut's graceful shutdown: no new connections, open streams
 * get {@code tollgate.stream.shutdown-grace} to finish and are then ended and settled (StreamDrain).
 */
public final class ContainerMain {

    private ContainerMain() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Micronaut micronaut = Micronaut.build(args).mainClass(ContainerMain.class);
        micronaut.banner(false)
                // The environments are the ones named here: no probing of the host for cloud platforms at start.
                .deduceEnvironment(false)
                .deduceCloudEnvironment(false)
                .properties(defaults(env));
        SecretsPropertySource secrets = SecretsPropertySource.readInBackground(env);
        if (!secrets.isEmpty()) {
            micronaut.singletons(secrets);
        }
        micronaut.start();
    }

    /** Settings the environment leaves open (only those: these properties take precedence over it). */
    static Map<String, Object> defaults(Map<String, String> env) {
        Map<String, Object> properties = new HashMap<>();
        String region = env.get("AWS_REGION");
        if (region != null && !region.isBlank() && !env.containsKey("TOLLGATE_DYNAMODB_REGION")) {
            properties.put("tollgate.dynamodb.region", region);
        }
        return properties;
    }
}
