package dev.tollgate.billing;

import dev.tollgate.money.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last amount this instance saw per account (its balance, or what it owes), for requests that move
 * no money (free models): their balance header and debt check. Paid requests always report the
 * balance read right after their settlement, which also refreshes the cache. Never used to decide
 * whether a request may spend money: holds do that, in DynamoDB.
 */
public final class BalanceCache {

    private static final Logger LOG = LoggerFactory.getLogger(BalanceCache.class);

    private final Clock clock;
    private final Duration ttl;
    private final Executor refresher;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final java.util.Set<String> loading = ConcurrentHashMap.newKeySet();

    private record Entry(Money balance, Instant until) {
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
        this.clock = clock;
        this.ttl = ttl;
        this.refresher = refresher;
    }

    /** An empty cache with the same clock, TTL and refresher, for another per-account amount. */
    public BalanceCache sibling() {
        return new BalanceCache(clock, ttl, refresher);
    }

    public void put(String accountId, Money balance) {
        entries.put(accountId, new Entry(balance, clock.instant().plus(ttl)));
    }

    /**
     * The cached amount, or {@code load}'s answer (then cached) when absent. A stale entry (older than the
     * TTL) is reloaded once per account at a time, by the refresher if there is one, else by this caller;
     * everyone else keeps using the stale value meanwhile, so an expiry under load costs one read, not one
     * per waiting request.
     */
    public Money get(String accountId, Function<String, Money> load) {
        Entry entry = entries.get(accountId);
        if (entry != null && clock.instant().isBefore(entry.until())) {
            return entry.balance();
        }
        if (entry != null && !loading.add(accountId)) {
            return entry.balance();
        }
        if (entry != null && refresher != null) {
            refresher.execute(() -> reload(accountId, load));
            return entry.balance();
        }
        try {
            Money balance = load.apply(accountId);
            put(accountId, balance);
            return balance;
        } finally {
            loading.remove(accountId);
        }
    }

    private void reload(String accountId, Function<String, Money> load) {
        try {
            put(accountId, load.apply(accountId));
        } catch (RuntimeException e) {
            // The stale value stays; the next request after the TTL tries again.
            LOG.warn("could not refresh the cached amount of account {}: {}", accountId, e.toString());
        } finally {
            loading.remove(accountId);
        }
    }
}
