package dev.tollgate.functions.secrets;

import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.PropertySource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * This function instance's secrets as a Micronaut {@link PropertySource}. The Lambda entry points start
 * reading them when they build the application context and register this object as a bean;
 * {@link SecretsStartupHook} puts the values in the environment once the context has started. Nothing else
 * in the application knows about Secrets Manager.
 *
 * <p>Read once per instance: while the context starts (Lambda's init phase), and, for SnapStart
 * functions, once more after each restore ({@link SecretsRestoreHook}), because the init phase of a
 * SnapStart function runs when a version is published, and a secret filled in or rotated after that would
 * otherwise stay frozen in the snapshot.
 *
 * <p>Precedence: above {@code application.yml}, below environment variables and system properties, so an
 * explicit {@code TOLLGATE_ADMIN_TOKEN} still wins (handy for an emergency override).
 */
public final class SecretsPropertySource {

    public static final String NAME = "tollgate-secrets";
    /** Just below {@link EnvironmentPropertySource} (higher orders override lower ones). */
    public static final int ORDER = EnvironmentPropertySource.POSITION - 1;

    private final Map<String, String> env;
    private final Function<Map<String, String>, SecretsManagerClient> clients;
    private volatile Map<String, Object> values;
    private volatile CompletableFuture<Void> firstRead = CompletableFuture.completedFuture(null);

    private SecretsPropertySource(Map<String, String> env, Function<Map<String, String>, SecretsManagerClient> clients) {
        this.env = Map.copyOf(env);
        this.clients = clients;
        this.values = Map.of();
    }

    /** Reads the secrets {@code env} names, now, with the real client ({@link SecretsLoader#clientFor}). */
    public static SecretsPropertySource read(Map<String, String> env) {
        return read(env, SecretsLoader::clientFor);
    }

    static SecretsPropertySource read(Map<String, String> env, Function<Map<String, String>, SecretsManagerClient> clients) {
        SecretsPropertySource source = new SecretsPropertySource(env, clients);
        source.values = source.fetch();
        return source;
    }

    /**
     * Starts reading the secrets {@code env} names on a background thread and returns at once: the Lambda
     * entry points read secrets while Micronaut starts (the SDK's start-up is a good part of a cold start), and
     * {@link SecretsStartupHook} waits for them when the context has started, before anything can use them.
     */
    public static SecretsPropertySource readInBackground(Map<String, String> env) {
        return readInBackground(env, SecretsLoader::clientFor);
    }

    static SecretsPropertySource readInBackground(Map<String, String> env,
                                                  Function<Map<String, String>, SecretsManagerClient> clients) {
        SecretsPropertySource source = new SecretsPropertySource(env, clients);
        if (!source.isEmpty()) {
            CompletableFuture<Void> read = new CompletableFuture<>();
            source.firstRead = read;
            Thread.ofPlatform().daemon().name("tollgate-secrets").start(() -> {
                try {
                    source.values = source.fetch();
                    read.complete(null);
                } catch (RuntimeException e) {
                    read.completeExceptionally(e);
                }
            });
        }
        return source;
    }

    /** Waits for the first read (if it runs in the background); rethrows its failure. */
    public SecretsPropertySource await() {
        try {
            firstRead.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return this;
    }

    /** Whether any secret is configured; without one there is no property source and no Secrets Manager call. */
    public boolean isEmpty() {
        return !SecretsLoader.anyConfigured(env);
    }

    /** The property source with the values read last. */
    public PropertySource propertySource() {
        return PropertySource.of(NAME, Map.copyOf(values), ORDER);
    }

    /** Property names this source sets (values are never exposed for logging). */
    public Set<String> propertyNames() {
        return values.keySet();
    }

    /**
     * Reads every secret again. Returns the properties whose value changed (or appeared, or went away), with
     * their previous value, as Micronaut's {@code RefreshEvent} expects; empty when nothing changed. Then
     * {@link #propertySource()} holds the new values.
     */
    public Map<String, Object> reload() {
        Map<String, Object> fresh = fetch();
        Map<String, Object> changed = new HashMap<>();
        Set<String> names = new HashSet<>(values.keySet());
        names.addAll(fresh.keySet());
        for (String name : names) {
            if (!Objects.equals(values.get(name), fresh.get(name))) {
                changed.put(name, values.get(name));
            }
        }
        values = fresh;
        return changed;
    }

    /**
     * Reads one plain-string secret now, for a value that must follow rotation while the instance runs (the
     * admin token): empty when the environment does not name it or it is not filled in yet. A fresh client, as
     * for every read here.
     */
    public Optional<String> readNow(SecretBinding binding) {
        if (!SecretsLoader.anyConfigured(env)) {
            return Optional.empty();
        }
        try (SecretsManagerClient client = clients.apply(env)) {
            return new SecretsLoader(client).readString(binding, env);
        }
    }

    /** Whether the environment names the secret of {@code binding}. */
    public boolean names(SecretBinding binding) {
        String arn = env.get(binding.envVar());
        return arn != null && !arn.isBlank();
    }

    /** The value of {@code property} as read last (at start or after a restore); empty when unset. */
    public Optional<Object> lastRead(String property) {
        return Optional.ofNullable(values.get(property));
    }

    private Map<String, Object> fetch() {
        if (isEmpty()) {
            return Map.of();
        }
        // A fresh client per read: reads happen once at init and once after a restore, and a client kept
        // across a snapshot would hold connections that no longer exist after the restore.
        try (SecretsManagerClient client = clients.apply(env)) {
            return new SecretsLoader(client).load(env);
        }
    }
}
