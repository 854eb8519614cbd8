package dev.tollgate.functions.secrets;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the secrets read in the background ({@link SecretsPropertySource#readInBackground}) to the environment
 * as soon as the application context has started, first among the startup listeners. Nothing reads them
 * earlier: every bean that uses a secret (configuration properties, filters, clients) is created lazily, on
 * first use, after this. A read that failed fails the start, with the loader's message.
 */
@Singleton
@Requires(bean = SecretsPropertySource.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SecretsStartupHook implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(SecretsStartupHook.class);

    private final SecretsPropertySource secrets;
    private final Environment environment;

    public SecretsStartupHook(SecretsPropertySource secrets, Environment environment) {
        this.secrets = secrets;
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        environment.addPropertySource(secrets.await().propertySource());
        LOG.debug("secrets in the environment: {}", secrets.propertyNames());
    }
}
