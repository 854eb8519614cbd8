package dev.tollgate.billing;

import dev.tollgate.money.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The last amount this instance saw per account (its balance, or what it owes), for requests that move
 * no money (free models): their balance header and debt check. Paid requests always report the
 * balance read right after their settlement, which also refreshes the cache. Never used to decide
 * whether a request may spend money: holds do that, in DynamoDB.
 */
public final class BalanceCache {

    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final java.util.Set<String> loading = ConcurrentHashMap.newKeySet();

    private record Entry(Money balance, Instant until) {
    }

    public BalanceCache(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    /** An empty cache with the same clock and TTL, for another per-account amount. */
    public BalanceCache sibling() {
        return new BalanceCache(clock, ttl);
    }

    public void put(String accountId, Money balance) {
        entries.put(accountId, new Entry(balance, clock.instant().plus(ttl)));
    }

    /**
     * The cached amount, or {@code load}'s answer (then cached) when absent or older than the TTL. Only
     * one caller per account reloads a stale entry; the others keep using the stale value meanwhile, so
     * an expiry under load costs one read, not one per waiting request.
     */
    public Money get(String accountId, Function<String, Money> load) {
        Entry entry = entries.get(accountId);
        if (entry != null && clock.instant().isBefore(entry.until())) {
            return entry.balance();
        }
        if (entry != null && !loading.add(accountId)) {
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
}
