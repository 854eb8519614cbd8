package dev.tollgate.functions.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.secrets.FakeSecretsManager;
import dev.tollgate.functions.secrets.SecretBinding;
import dev.tollgate.functions.secrets.SecretsPropertySource;
import dev.tollgate.testkit.MutableClock;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.context.scope.refresh.RefreshEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin token follows rotation in Secrets Manager on a running instance within its TTL, read through the
 * real SDK client from a local Secrets Manager endpoint; an explicitly configured token overrides the secret.
 */
class AdminTokenIT {

    private static final String SECRET = "tollgate/test/admin-token";
    private static final Duration TTL = Duration.ofMinutes(1);

    private FakeSecretsManager fake;
    private ApplicationContext context;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

    @BeforeEach
    void start() {
        fake = FakeSecretsManager.start();
        fake.put(SECRET, "adm_first");
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        fake.close();
    }

    /** An instance as a Lambda entry point starts it: the secrets read once and added to the environment. */
    private AdminToken instance(Map<String, Object> properties) {
        SecretsPropertySource secrets = SecretsPropertySource.read(Map.of("AWS_REGION", "us-east-1",
                SecretBinding.ENDPOINT_ENV, fake.endpoint().toString(),
                SecretBinding.ADMIN_TOKEN.envVar(), FakeSecretsManager.arn(SECRET)));
        context = ApplicationContext.builder().properties(properties).build();
        Environment environment = context.getEnvironment().start();
        environment.addPropertySource(secrets.propertySource());
        AdminConfig config = new AdminConfig();
        config.setTokenTtl(TTL);
        fake.clearCalls();
        return new AdminToken(environment, secrets, clock, config);
    }

    @Test
    void aRotatedSecretTakesEffectOnARunningInstanceWithinTheTtl() {
        AdminToken token = instance(Map.of());
        assertThat(token.current()).contains("adm_first");

        fake.put(SECRET, "adm_rotated");
        clock.advance(TTL.minusSeconds(1));
        assertThat(token.current()).as("cached within the TTL").contains("adm_first");
        assertThat(fake.calls()).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(token.current()).contains("adm_rotated");
        assertThat(token.current()).contains("adm_rotated");
        assertThat(fake.calls()).as("one read per TTL, not per request").hasSize(2);
    }

    @Test
    void aRefreshAfterASnapStartRestoreDropsTheCachedValue() {
        AdminToken token = instance(Map.of());
        assertThat(token.current()).contains("adm_first");
        fake.put(SECRET, "adm_after_restore");

        token.onApplicationEvent(new RefreshEvent(Map.of("tollgate.admin.token", "adm_first")));

        assertThat(token.current()).contains("adm_after_restore");
    }

    @Test
    void aFailedReadKeepsTheLastValueAndRetriesAfterTheTtl() {
        AdminToken token = instance(Map.of());
        assertThat(token.current()).contains("adm_first");
        fake.remove(SECRET);
        clock.advance(TTL);

        assertThat(token.current()).as("Secrets Manager failing does not lock the operator out").contains("adm_first");

        fake.put(SECRET, "adm_back");
        clock.advance(TTL);
        assertThat(token.current()).contains("adm_back");
    }

    @Test
    void aSecretNotFilledInClosesTheAdminApi() {
        AdminToken token = instance(Map.of());
        fake.put(SECRET, SecretBinding.PLACEHOLDER);
        clock.advance(TTL);

        assertThat(token.current()).isEmpty();
    }

    @Test
    void anExplicitlyConfiguredTokenOverridesTheSecretWithoutReadingIt() {
        AdminToken token = instance(Map.of());
        context.getEnvironment().addPropertySource(PropertySource.of("override",
                Map.of("tollgate.admin.token", "adm_emergency"), SecretsPropertySource.ORDER + 1));

        assertThat(token.current()).contains("adm_emergency");
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void withoutASecretTheConfiguredTokenIsReadOnEveryRequest() {
        context = ApplicationContext.builder().properties(Map.of("tollgate.admin.token", "adm_local")).build();
        Environment environment = context.getEnvironment().start();
        AdminToken token = new AdminToken(environment, null, clock, new AdminConfig());

        assertThat(token.current()).contains("adm_local");
        environment.addPropertySource(PropertySource.of("changed", Map.of("tollgate.admin.token", "adm_changed"), 10_000));
        assertThat(token.current()).contains("adm_changed");
    }

    @Test
    void withNoTokenAnywhereTheAdminApiIsClosed() {
        context = ApplicationContext.builder().build();
        AdminToken token = new AdminToken(context.getEnvironment().start(), null, clock, new AdminConfig());

        assertThat(token.current()).isEqualTo(Optional.empty());
    }
}
