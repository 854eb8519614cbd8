package dev.tollgate.billing;

import dev.tollgate.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this instance last saw of each account (its balance and what it owes, {@link BalanceStore.Funds}), for
 * requests that move no money (free models): their balance header and debt check. Paid requests always
 * report the balance read right after their settlement, which also refreshes the cache. Never used to decide
 * whether a request may spend money: holds do that, in DynamoDB.
 *
 * @param <V> what is cached per account
 */
public final class BalanceCache<V> {

    private static final Logger LOG = LoggerFactory.getLogger(BalanceCache.class);

    private final Clock clock;
    private final Duration ttl;
    private final Executor refresher;
    private final Metrics metrics;
    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final java.util.Set<String> loading = ConcurrentHashMap.newKeySet();

    private record Entry<V>(V value, Instant until) {
    }

    /** Reloads a stale entry in the calling request. */
    public BalanceCache(Clock clock, Duration ttl) {
        this(clock, ttl, null);
    }

    /**
     * @param refresher where a stale entry is reloaded while the request that noticed it goes on with the
     *                  stale value, so no free request waits for DynamoDB once its account is known;
     *                  {@code null} reloads in the calling request
     */
    public BalanceCache(Clock clock, Duration ttl, Executor refresher) {
        this(clock, ttl, refresher, Metrics.NONE);
    }

    /**
     * @param metrics told of each {@link #get}: a hit when the caller did not wait for a read (a stale value served
     *                while it is refreshed counts as a hit), a miss when it did ({@code cache="account"})
     */
    public BalanceCache(Clock clock, Duration ttl, Executor refresher, Metrics metrics) {
        this.metrics = metrics;
        this.clock = clock;
        this.ttl = ttl;
        this.refresher = refresher;
    }

    public void put(String accountId, V value) {
        entries.put(accountId, new Entry<>(value, clock.instant().plus(ttl)));
    }

    /**
     * Changes the cached value of an account this instance already knows, keeping its age: part of the view
     * was learnt anew (the balance after a paid request), the rest still needs its read once the TTL is up.
     * An account not cached stays so.
     */
    public void update(String accountId, UnaryOperator<V> change) {
        entries.computeIfPresent(accountId, (account, entry) -> new Entry<>(change.apply(entry.value()), entry.until()));
    }

    /**
     * The cached value, or {@code load}'s answer (then cached) when absent. A stale entry (older than the
     * TTL) is reloaded once per account at a time, by the refresher if there is one, else by this caller;
     * everyone else keeps using the stale value meanwhile, so an expiry under load costs one read, not one
     * per waiting request.
     */
    public V get(String accountId, Function<String, V> load) {
        Entry<V> entry = entries.get(accountId);
        if (entry != null && clock.instant().isBefore(entry.until())) {
            metrics.cache(Metrics.Cache.ACCOUNT, true);
            return entry.value();
        }
        if (entry != null && !loading.add(accountId)) {
            metrics.cache(Metrics.Cache.ACCOUNT, true);
            return entry.value();
        }
        if (entry != null && refresher != null) {
            refresher.execute(() -> reload(accountId, load));
            metrics.cache(Metrics.Cache.ACCOUNT, true);
            return entry.value();
        }
        metrics.cache(Metrics.Cache.ACCOUNT, false);
        try {
            V value = load.apply(accountId);
            put(accountId, value);
            return value;
        } finally {
            loading.remove(accountId);
        }
    }

    private void reload(String accountId, Function<String, V> load) {
        try {
            put(accountId, load.apply(accountId));
        } catch (RuntimeException e) {
            // The stale value stays; the next request after the TTL tries again.
            LOG.warn("could not refresh the cached view of account {}: {}", accountId, e.toString());
        } finally {
            loading.remove(accountId);
        }
    }
}
