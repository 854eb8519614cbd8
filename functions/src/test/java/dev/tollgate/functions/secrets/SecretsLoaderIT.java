package dev.tollgate.functions.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.functions.lambda.FunctionRole;
import dev.tollgate.functions.lambda.LambdaContexts;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The secrets loader through the real SDK client (signing, awsJson 1.1, error parsing) against {@link FakeSecretsManager}. */
class SecretsLoaderIT {

    private static FakeSecretsManager fake;

    @BeforeAll
    static void start() {
        fake = FakeSecretsManager.start();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void clear() {
        fake.clearCalls();
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put(SecretBinding.ENDPOINT_ENV, fake.endpoint().toString());
        env.put("AWS_REGION", "eu-west-1");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void readsEachNamedSecretOnceIntoTollgateProperties() {
        Map<String, String> env = env(
                "TOLLGATE_SECRET_ARN_ADMIN_TOKEN", fake.put("it/admin", "adm_123\n"),
                "TOLLGATE_SECRET_ARN_STRIPE_API_KEY", fake.put("it/stripe-key", "sk_test_abc"),
                "TOLLGATE_SECRET_ARN_STRIPE_WEBHOOK_SECRET", fake.put("it/stripe-whsec", "whsec_xyz"),
                "TOLLGATE_SECRET_ARN_UPSTREAM_API_KEYS", fake.put("it/upstreams", "{\"groq\": \"gsk_1\", \"ollama\": \"\"}"));

        SecretsPropertySource source = SecretsPropertySource.read(env);

        assertThat(source.isEmpty()).isFalse();
        assertThat(source.propertySource().getName()).isEqualTo(SecretsPropertySource.NAME);
        assertThat(source.propertySource().get("tollgate.admin.token")).isEqualTo("adm_123");
        assertThat(source.propertySource().get("tollgate.stripe.api-key")).isEqualTo("sk_test_abc");
        assertThat(source.propertySource().get("tollgate.stripe.webhook-secret")).isEqualTo("whsec_xyz");
        assertThat(source.propertySource().get("tollgate.upstreams.groq.api-key")).isEqualTo("gsk_1");
        assertThat(source.propertyNames()).as("blank entries are skipped")
                .doesNotContain("tollgate.upstreams.ollama.api-key").hasSize(4);
        assertThat(fake.calls()).hasSize(4).allSatisfy(call -> {
            assertThat(call.target()).isEqualTo("secretsmanager.GetSecretValue");
            assertThat(call.secretId()).startsWith("arn:aws:secretsmanager:");
            assertThat(call.authorization()).as("signed with SigV4 for the client's region")
                    .startsWith("AWS4-HMAC-SHA256 Credential=local/").contains("/eu-west-1/secretsmanager/aws4_request");
        });
    }

    @Test
    void aSecretStillHoldingThePlaceholderLeavesItsPropertyUnset() {
        Map<String, String> env = env(
                "TOLLGATE_SECRET_ARN_STRIPE_API_KEY", fake.put("it/unfilled", SecretBinding.PLACEHOLDER),
                "TOLLGATE_SECRET_ARN_STRIPE_WEBHOOK_SECRET", fake.put("it/filled", "whsec_real"));

        SecretsPropertySource source = SecretsPropertySource.read(env);

        assertThat(source.propertyNames()).containsExactly("tollgate.stripe.webhook-secret");
    }

    @Test
    void withoutArnVariablesThereIsNoCallAndNoPropertySource() {
        Map<String, String> env = env("TOLLGATE_ADMIN_TOKEN", "from-env");

        SecretsPropertySource source = SecretsPropertySource.read(env);

        assertThat(source.isEmpty()).isTrue();
        assertThat(source.propertyNames()).isEmpty();
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void aMissingSecretStopsStartWithTheVariableAndArnButNoValue() {
        Map<String, String> env = env(
                "TOLLGATE_SECRET_ARN_STRIPE_API_KEY", fake.put("it/present", "sk_live_must_not_leak"),
                "TOLLGATE_SECRET_ARN_ADMIN_TOKEN", FakeSecretsManager.arn("it/absent"));

        assertThatThrownBy(() -> SecretsPropertySource.read(env))
                .isInstanceOf(SecretsLoader.SecretsException.class)
                .hasMessageContaining("TOLLGATE_SECRET_ARN_ADMIN_TOKEN")
                .hasMessageContaining(FakeSecretsManager.arn("it/absent"))
                .hasMessageContaining("secretsmanager:GetSecretValue")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk_live_must_not_leak"));
    }

    @Test
    void aFailedBackgroundReadFailsTheContextStart() {
        Map<String, String> env = env("TOLLGATE_SECRET_ARN_ADMIN_TOKEN", FakeSecretsManager.arn("it/never-created"));

        assertThatThrownBy(() -> SecretsPropertySource.readInBackground(env).await())
                .isInstanceOf(SecretsLoader.SecretsException.class);
        assertThatThrownBy(() -> LambdaContexts.forHandler(FunctionRole.RECONCILER, env).start())
                .hasStackTraceContaining("Cannot read the secret named by TOLLGATE_SECRET_ARN_ADMIN_TOKEN");
    }

    @Test
    void aBackgroundReadIsInTheEnvironmentOnceTheContextHasStarted() {
        Map<String, String> env = env("TOLLGATE_SECRET_ARN_ADMIN_TOKEN", fake.put("it/background", "adm_background"));

        try (ApplicationContext context = LambdaContexts.forHandler(FunctionRole.RECONCILER, env).start()) {
            assertThat(context.getProperty("tollgate.admin.token", String.class)).contains("adm_background");
        }
    }

    @Test
    void anUpstreamKeysSecretThatIsNotAJsonObjectIsRejectedWithoutEchoingIt() {
        Map<String, String> env = env("TOLLGATE_SECRET_ARN_UPSTREAM_API_KEYS", fake.put("it/not-json", "gsk_secret_value"));

        assertThatThrownBy(() -> SecretsPropertySource.read(env))
                .isInstanceOf(SecretsLoader.SecretsException.class)
                .hasMessageContaining("must be a JSON object")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("gsk_secret_value"));
    }

    @Test
    void reloadReadsAgainAndReportsWhetherAnythingChanged() {
        Map<String, String> env = env("TOLLGATE_SECRET_ARN_ADMIN_TOKEN", fake.put("it/rotating", "first"));
        SecretsPropertySource source = SecretsPropertySource.read(env);

        assertThat(source.reload()).isEmpty();
        fake.put("it/rotating", "second");
        assertThat(source.reload()).as("changed keys with their previous values")
                .containsExactly(Map.entry("tollgate.admin.token", "first"));
        assertThat(source.propertySource().get("tollgate.admin.token")).isEqualTo("second");
        assertThat(fake.calls()).hasSize(3);
    }

    @Test
    void secretsOverrideApplicationYml() {
        Map<String, String> env = env("TOLLGATE_SECRET_ARN_UPSTREAM_API_KEYS", fake.put("it/ollama", "{\"ollama\": \"ollama-key\"}"));
        SecretsPropertySource source = SecretsPropertySource.read(env);

        // application.yml sets no api-key but does set the ollama base URL: both must be visible together.
        try (ApplicationContext context = ApplicationContext.builder().propertySources(source.propertySource()).start()) {
            assertThat(context.getProperty("tollgate.upstreams.ollama.api-key", String.class)).contains("ollama-key");
            assertThat(context.getProperty("tollgate.upstreams.ollama.base-url", String.class))
                    .contains("http://localhost:11434/v1");
        }
        // ...and at the source's order a value beats the one in application.yml.
        PropertySource sameOrder = PropertySource.of("precedence",
                Map.of("micronaut.application.name", "from-secrets"), SecretsPropertySource.ORDER);
        try (ApplicationContext context = ApplicationContext.builder().propertySources(sameOrder).start()) {
            assertThat(context.getProperty("micronaut.application.name", String.class)).contains("from-secrets");
        }
    }
}
