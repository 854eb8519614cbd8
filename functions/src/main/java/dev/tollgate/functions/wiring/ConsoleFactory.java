package dev.tollgate.functions.wiring;

import dev.tollgate.console.ConsoleSignIn;
import dev.tollgate.console.SessionCodec;
import dev.tollgate.console.SessionRules;
import dev.tollgate.functions.config.ConsoleConfig;
import dev.tollgate.keys.KeyAuthenticator;
import dev.tollgate.operator.OperatorService;
import dev.tollgate.store.dynamo.DynamoKeyStore;
import dev.tollgate.store.dynamo.DynamoOperatorStore;
import dev.tollgate.store.dynamo.DynamoTables;
import dev.tollgate.store.dynamo.DynamoTopUpStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The web console: its session signing, sign-in, and the precompiled templates. */
@Factory
public class ConsoleFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleFactory.class);
    /** jte-maven-plugin's packageName in functions/pom.xml. */
    static final String TEMPLATES = "dev.tollgate.functions.console.templates";

    /**
     * Signs with {@code tollgate.console.session-secret}; without one, with random bytes of this process only,
     * which works for a single server (sessions end when it restarts) but not across Lambda instances: the stacks
     * always set the secret.
     */
    @Singleton
    SessionCodec sessionCodec(ConsoleConfig config) {
        String secret = config.getSessionSecret();
        if (secret == null || secret.isBlank()) {
            LOG.warn("tollgate.console.session-secret is not set: console sessions are signed with a random key of this "
                    + "process and end when it stops");
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return new SessionCodec(random);
        }
        if (secret.strip().length() < 32) {
            throw new IllegalStateException("tollgate.console.session-secret must be at least 32 characters");
        }
        return new SessionCodec(secret.strip().getBytes(StandardCharsets.UTF_8));
    }

    @Singleton
    SessionRules sessionRules(ConsoleConfig config, Clock clock) {
        return new SessionRules(config.getIdleTimeout(), config.getAbsoluteTimeout(), clock);
    }

    @Singleton
    ConsoleSignIn consoleSignIn(KeyAuthenticator keys, SessionRules rules, Clock clock) {
        return new ConsoleSignIn(keys, rules, clock);
    }

    @Singleton
    DynamoOperatorStore operatorStore(DynamoDbClient dynamo, DynamoTables tables) {
        return new DynamoOperatorStore(dynamo, tables);
    }

    @Singleton
    OperatorService operatorService(DynamoOperatorStore store, DynamoKeyStore keys, DynamoTopUpStore topUps, Clock clock) {
        return new OperatorService(store, keys, topUps, clock);
    }

    /** Templates compiled at build time into {@value #TEMPLATES}; HTML output is escaped unless marked safe. */
    @Singleton
    TemplateEngine templates() {
        return TemplateEngine.createPrecompiled(null, ContentType.Html, ConsoleFactory.class.getClassLoader(), TEMPLATES);
    }
}
