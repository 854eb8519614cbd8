package dev.tollgate.billing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StreamSlots} that keeps a released slot for {@code linger} and hands it to this instance's next stream of
 * the same account, instead of a write to give it back and another to take it again. An account streaming one
 * request after another, or a few at a time, then costs at most one write per stream (none while short streams
 * fit a lease), not two.
 *
 * <p>The cap stays exact across instances: every slot in use or kept here is a lease in the backing store, under
 * a lease id of this pool (not the request's id). A lease is taken {@code reach} longer than its first stream
 * needs, so that a stream starting within {@code reach} of the lease fits in it as it is; when every kept slot is
 * too short for a new stream, one is extended for it (one write), again {@code reach} past that stream's need. With
 * a reach of a minute a slot in constant use costs one write a minute, where a reach of the linger (2 s) cost one
 * every 2 s; the price is that a crashed instance's slots stay taken up to {@code reach} past their streams'
 * deadline and settle margin (14 minutes and 10 s by default) rather than {@code linger}. A kept slot is given back
 * by {@link #sweep} once it has been kept for {@code linger} (plus the sweep's period), or at once when the store
 * refuses an acquire by the cap, so kept slots never keep this account's other instances from streaming for longer
 * than that. A crash keeps a kept slot until its lease ends, as it keeps a slot in use.
 *
 * <p>Only for a long-running server whose {@link #sweep} runs periodically: a Lambda instance is frozen between
 * invocations and would keep its slots for their whole lease.
 */
public final class PooledStreamSlots implements StreamSlots {

    private static final Logger LOG = LoggerFactory.getLogger(PooledStreamSlots.class);

    private final StreamSlots store;
    private final Duration linger;
    private final Duration reach;
    private final Clock clock;
    private final String poolId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong leases = new AtomicLong();
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    /** A lease of the store, under this pool's own id; {@code keptSince} is when it was released, while kept. */
    private record Lease(String id, Instant until, Instant keptSince) {
        Lease(String id, Instant until) {
            this(id, until, null);
        }
    }

    /** One account's leases on this instance: in use by a request, or kept for the next one. */
    private static final class Account {
        final Map<String, Lease> inUse = new HashMap<>();
        final ArrayDeque<Lease> kept = new ArrayDeque<>();
        /** Acquires asking the store for a lease right now. */
        int pending;
        /** Removed from the map by a sweep: a request that finds it takes the account's new entry. */
        boolean forgotten;
    }

    /**
     * @param linger how long a released slot is kept for the account's next stream
     * @param reach  how far past a stream's need its lease is taken or extended: at least {@code linger}
     */
    public PooledStreamSlots(StreamSlots store, Duration linger, Duration reach, Clock clock) {
        if (linger.isNegative() || linger.isZero()) {
            throw new IllegalArgumentException("a slot pool needs a positive linger, not " + linger);
        }
        if (reach.compareTo(linger) < 0) {
            throw new IllegalArgumentException(
                    "a slot pool's reach (" + reach + ") must be at least its linger (" + linger + ")");
        }
        this.store = store;
        this.linger = linger;
        this.reach = reach;
        this.clock = clock;
    }

    @Override
    public Slot acquire(String accountId, String requestId, Instant now, Instant leaseUntil) {
        Account account;
        Lease tooShort = null;
        while (true) {
            account = accounts.computeIfAbsent(accountId, id -> new Account());
            synchronized (account) {
                if (account.forgotten) {
                    continue; // swept away just now: take the account's new entry
                }
                Lease held = account.inUse.get(requestId);
                if (held != null) {
                    return new Slot(accountId, requestId, held.until());
                }
                for (Iterator<Lease> it = account.kept.iterator(); it.hasNext(); ) {
                    Lease lease = it.next();
                    if (!lease.until().isBefore(leaseUntil)) {
                        it.remove();
                        account.inUse.put(requestId, lease);
                        return new Slot(accountId, requestId, lease.until());
                    }
                }
                // Every kept slot is too short (the newest is tried first): the oldest one is extended for this
                // stream, so slots kept here never add to what this instance counts against the cap beyond its
                // busiest moment.
                tooShort = account.kept.pollLast();
                account.pending++; // keeps the sweep from forgetting the account while the store is asked
            }
            break;
        }
        try {
            Lease lease = null;
            if (tooShort != null) {
                lease = extended(accountId, tooShort, leaseUntil.plus(reach));
            }
            if (lease == null) {
                lease = new Lease(poolId + "-" + leases.incrementAndGet(), leaseUntil.plus(reach));
                takeFromStore(account, accountId, lease, now);
            }
            synchronized (account) {
                account.inUse.put(requestId, lease);
            }
            return new Slot(accountId, requestId, lease.until());
        } finally {
            synchronized (account) {
                account.pending--;
            }
        }
    }

    /**
     * The kept lease extended to {@code until} (one write), or null: it was no longer held (reclaimed once it had
     * ended), or the write failed, in which case it is given back (a release never throws) so that the pool does
     * not forget a lease the store still counts. Either way the caller takes a new lease.
     */
    private Lease extended(String accountId, Lease tooShort, Instant until) {
        try {
            if (store.extend(accountId, tooShort.id(), until)) {
                return new Lease(tooShort.id(), until);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not extend a kept stream slot of account {}; giving it back: {}", accountId, e.toString());
            giveBack(accountId, List.of(tooShort));
        }
        return null;
    }

    private void takeFromStore(Account account, String accountId, Lease lease, Instant now) {
        try {
            store.acquire(accountId, lease.id(), now, lease.until());
        } catch (TooManyStreamsException refused) {
            // This instance's kept slots count against the cap too: give them back and try once more.
            List<Lease> kept;
            synchronized (account) {
                kept = new ArrayList<>(account.kept);
                account.kept.clear();
            }
            if (kept.isEmpty()) {
                throw refused;
            }
            giveBack(accountId, kept);
            store.acquire(accountId, lease.id(), now, lease.until());
        }
    }

    @Override
    public void release(String accountId, String requestId) {
        Account account = accounts.get(accountId);
        if (account == null) {
            return;
        }
        synchronized (account) {
            Lease lease = account.inUse.remove(requestId);
            if (lease != null) {
                // Newest first: the longest lease is tried first, the one kept longest is extended or given back.
                account.kept.addFirst(new Lease(lease.id(), lease.until(), clock.instant()));
            }
        }
    }

    /**
     * Gives back every slot kept for {@code linger} or longer, and forgets accounts with nothing in use or kept. Run
     * it periodically.
     */
    public void sweep() {
        sweep(false);
    }

    private void sweep(boolean all) {
        Instant keptTooLong = clock.instant().minus(linger);
        for (Map.Entry<String, Account> entry : accounts.entrySet()) {
            Account account = entry.getValue();
            List<Lease> expired = new ArrayList<>();
            synchronized (account) {
                for (Iterator<Lease> it = account.kept.iterator(); it.hasNext(); ) {
                    Lease lease = it.next();
                    if (all || !lease.keptSince().isAfter(keptTooLong)) {
                        it.remove();
                        expired.add(lease);
                    }
                }
                if (account.inUse.isEmpty() && account.kept.isEmpty() && account.pending == 0) {
                    account.forgotten = true;
                    accounts.remove(entry.getKey(), account);
                }
            }
            giveBack(entry.getKey(), expired);
        }
    }

    /** Gives back every kept slot (shutdown): they would otherwise count against the cap until their leases end. */
    @Override
    public void close() {
        try {
            sweep(true);
        } catch (RuntimeException e) {
            LOG.warn("could not give back kept stream slots; they free themselves when their leases end: {}",
                    e.toString());
        }
    }

    /** The store whose leases this pool hands out. */
    public StreamSlots store() {
        return store;
    }

    /** Slots kept for the next stream of {@code accountId} on this instance (tests, metrics). */
    public int kept(String accountId) {
        Account account = accounts.get(accountId);
        if (account == null) {
            return 0;
        }
        synchronized (account) {
            return account.kept.size();
        }
    }

    private void giveBack(String accountId, List<Lease> leases) {
        for (Lease lease : leases) {
            store.release(accountId, lease.id());
        }
    }
}
