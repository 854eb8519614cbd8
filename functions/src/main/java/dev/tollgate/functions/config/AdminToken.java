package dev.tollgate.functions.config;

import dev.tollgate.functions.secrets.SecretBinding;
import dev.tollgate.functions.secrets.SecretsPropertySource;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.context.scope.refresh.RefreshEvent;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin token in force now, looked up on every /admin request, so that a rotated token takes effect on
 * running instances too (SnapStart instances can live for hours after their restore).
 *
 * <ul>
 *   <li>Where the function's environment names the admin-token secret, the value comes from Secrets Manager,
 *       read again once {@code tollgate.admin.token-ttl} (default 1 minute) has passed since the last read: a
 *       rotation reaches every instance within that. A failed read keeps the last value (and is retried after
 *       the TTL) rather than locking the operator out while Secrets Manager has a bad minute.</li>
 *   <li>A token configured some other way ({@code TOLLGATE_ADMIN_TOKEN}, a system property) wins over the
 *       secret, as an emergency override; locally it is the only source. It is read from the environment on
 *       each request.</li>
 * </ul>
 */
@Singleton
public class AdminToken implements ApplicationEventListener<RefreshEvent> {

    static final String PROPERTY = "tollgate.admin.token";
    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);

    private final Environment environment;
    private final SecretsPropertySource secrets;
    private final Clock clock;
    private final Duration ttl;
    private volatile Fetched fetched;

    public AdminToken(Environment environment, @Nullable SecretsPropertySource secrets, Clock clock, AdminConfig config) {
        this.environment = environment;
        this.secrets = secrets != null && secrets.names(SecretBinding.ADMIN_TOKEN) ? secrets : null;
        this.clock = clock;
        this.ttl = config.getTokenTtl();
    }

    /** The value read from Secrets Manager (empty: not filled in) and when it was read. */
    private record Fetched(Optional<String> token, Instant at) {
    }

    /** The token that opens /admin now; empty when none is configured (the admin API is closed). */
    public Optional<String> current() {
        Optional<String> configured = environment.getProperty(PROPERTY, String.class).filter(t -> !t.isBlank());
        if (secrets == null || overridden(configured)) {
            return configured;
        }
        return fromSecret();
    }

    /** A configured value the secret did not provide (its last read holds something else) is an override. */
    private boolean overridden(Optional<String> configured) {
        return configured.isPresent() && !configured.equals(secrets.lastRead(PROPERTY).map(Object::toString));
    }

    private Optional<String> fromSecret() {
        Fetched last = fetched;
        Instant now = clock.instant();
        if (last != null && !now.isBefore(last.at()) && now.isBefore(last.at().plus(ttl))) {
            return last.token();
        }
        synchronized (this) {
            last = fetched;
            if (last != null && !now.isBefore(last.at()) && now.isBefore(last.at().plus(ttl))) {
                return last.token(); // another request read it meanwhile
            }
            Optional<String> token;
            try {
                token = secrets.readNow(SecretBinding.ADMIN_TOKEN);
            } catch (RuntimeException e) {
                token = last != null ? last.token() : secrets.lastRead(PROPERTY).map(Object::toString);
                LOG.warn("could not read the admin token again, keeping the last value: {}", e.getMessage());
            }
            fetched = new Fetched(token, now);
            return token;
        }
    }

    /** After a SnapStart restore the secrets were just read again: the next request reads the token afresh too. */
    @Override
    public void onApplicationEvent(RefreshEvent event) {
        fetched = null;
    }
}
