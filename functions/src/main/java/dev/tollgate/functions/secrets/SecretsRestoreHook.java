package dev.tollgate.functions.secrets;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.crac.OrderedResource;
import io.micronaut.runtime.context.scope.refresh.RefreshEvent;
import jakarta.inject.Singleton;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a SnapStart restore, reads the secrets again and, when a value changed, replaces the secrets
 * property source and publishes a {@link RefreshEvent} so configuration beans pick the new values up.
 * Exists only in contexts whose entry point registered a {@link SecretsPropertySource} with secrets in it.
 *
 * <p>A bean that copied a secret when it was built keeps that copy. The Stripe client, the webhook verifier
 * and upstream clients are built on first use, after the restore, so they get the fresh values. The admin
 * token is looked up on every /admin request and read again from Secrets Manager once its TTL has passed
 * ({@code AdminToken}), so its rotation needs no restore at all.
 */
@Singleton
@Requires(bean = SecretsPropertySource.class)
public class SecretsRestoreHook implements OrderedResource {

    private static final Logger LOG = LoggerFactory.getLogger(SecretsRestoreHook.class);

    private final SecretsPropertySource secrets;
    private final Environment environment;
    private final ApplicationEventPublisher<RefreshEvent> refresh;

    public SecretsRestoreHook(SecretsPropertySource secrets, Environment environment,
                              ApplicationEventPublisher<RefreshEvent> refresh) {
        this.secrets = secrets;
        this.environment = environment;
        this.refresh = refresh;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // nothing to close: the loader keeps no client between reads
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        if (secrets.isEmpty()) {
            return;
        }
        Map<String, Object> changed = secrets.reload();
        if (changed.isEmpty()) {
            return;
        }
        // Replaces the source of the same name, then rebuilds the environment from all sources, so that a
        // key gone from a JSON secret is gone from the configuration too.
        environment.addPropertySource(secrets.propertySource());
        environment.refresh();
        LOG.info("secrets changed since the snapshot: {}", changed.keySet());
        refresh.publishEvent(new RefreshEvent(changed));
    }

    /** Early among the restore hooks, so the hooks after it already see the current secrets. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 100;
    }
}
