package dev.tollgate.functions.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.accounts.AccountService;
import dev.tollgate.functions.secrets.FakeSecretsManager;
import dev.tollgate.functions.secrets.SecretBinding;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.FakeOpenAiUpstream;
import dev.tollgate.testkit.LocalDynamo;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What a Lambda function finds on AWS, offline: DynamoDB Local (in memory) for the tables, the fake OpenAI
 * upstream, and {@link FakeSecretsManager} holding the function's secrets, which the entry points read
 * through the real SDK client. Contexts are built by {@link LambdaContexts}, as the handlers build them,
 * from an environment map like the one CDK sets. Events come from {@code events/} at the repository root.
 */
final class LambdaHarness implements AutoCloseable {

    static final String ADMIN_TOKEN = "adm_from_secrets_manager";
    static final String WEBHOOK_SECRET = "whsec_from_secrets_manager";
    static final Path EVENTS = Path.of("..", "events");

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    final LocalDynamo dynamo;
    final FakeOpenAiUpstream upstream;
    final FakeSecretsManager secrets;

    private LambdaHarness() {
        dynamo = LocalDynamo.start();
        upstream = FakeOpenAiUpstream.start();
        secrets = FakeSecretsManager.start();
        secrets.put("tollgate/test/admin-token", ADMIN_TOKEN);
        secrets.put("tollgate/test/stripe-webhook-secret", WEBHOOK_SECRET);
        secrets.put("tollgate/test/stripe-api-key", "sk_test_from_secrets_manager");
        secrets.put("tollgate/test/upstream-api-keys", "{\"ollama\": \"upstream-key-from-secrets-manager\"}");
    }

    static LambdaHarness start() {
        return new LambdaHarness();
    }

    /** The environment CDK gives a function of {@code role}: the ARNs of the secrets it may read. */
    Map<String, String> env(FunctionRole role) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put(SecretBinding.ENDPOINT_ENV, secrets.endpoint().toString());
        switch (role) {
            case API -> {
                env.put(SecretBinding.ADMIN_TOKEN.envVar(), FakeSecretsManager.arn("tollgate/test/admin-token"));
                env.put(SecretBinding.STRIPE_API_KEY.envVar(), FakeSecretsManager.arn("tollgate/test/stripe-api-key"));
            }
            case STRIPE_WEBHOOK -> env.put(SecretBinding.STRIPE_WEBHOOK_SECRET.envVar(),
                    FakeSecretsManager.arn("tollgate/test/stripe-webhook-secret"));
            case CHAT -> env.put(SecretBinding.UPSTREAM_API_KEYS.envVar(), FakeSecretsManager.arn("tollgate/test/upstream-api-keys"));
            case RECONCILER -> { }
        }
        return env;
    }

    /** A context as the handler of {@code role} builds it, plus the local endpoints; not started. */
    ApplicationContextBuilder context(FunctionRole role, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("tollgate.dynamodb.endpoint", dynamo.endpoint().toString());
        properties.put("tollgate.dynamodb.create-tables", true);
        properties.put("tollgate.upstreams.ollama.base-url", upstream.baseUrl().toString());
        properties.put("tollgate.upstreams.ollama.retry-backoff", "0ms");
        properties.putAll(overrides);
        return LambdaContexts.forHandler(role, env(role)).properties(properties).environments("test");
    }

    /** A new account with credit and its management key, opened directly through the application's service. */
    static String openAccount(ApplicationContext context, String dollars) {
        return context.getBean(AccountService.class).open("lambda-test", Money.parseDollars(dollars)).secret();
    }

    /** An event file with its {@code ${NAME}} placeholders replaced (JSON-escaped), as envsubst would for SAM. */
    static APIGatewayProxyRequestEvent event(String file, Map<String, String> values) {
        try {
            String text = Files.readString(EVENTS.resolve(file));
            for (Map.Entry<String, String> value : values.entrySet()) {
                String escaped = JSON.writeValueAsString(value.getValue());
                text = text.replace("${" + value.getKey() + "}", escaped.substring(1, escaped.length() - 1));
            }
            return JSON.readValue(text, APIGatewayProxyRequestEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T json(String text, Class<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    @Override
    public void close() {
        secrets.close();
        upstream.close();
        dynamo.close();
    }
}
