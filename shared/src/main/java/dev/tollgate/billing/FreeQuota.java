package dev.tollgate.billing;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.ModelEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model's daily token quota per account (the catalog's {@code daily_token_quota}), for free models, which no
 * balance limits: once an account's prompt plus completion tokens of the model on a UTC day reach the quota, its
 * requests for the model are refused with 429 {@code rate_limit_exceeded} until midnight UTC.
 *
 * <p>It costs no DynamoDB write and at most one read per account and cache TTL (1 s by default): the day's usage
 * rows, the per-day, per-model counters every request already bumps, are read through a short per-instance
 * cache, and the tokens this instance's {@link UsageBatcher} has counted but not yet written are added. A stale
 * entry is re-read by one caller while the others go on with it; concurrent first checks of an account share one
 * read.
 *
 * <p><b>A soft limit.</b> It judges a request by the usage recorded before it runs, so an account can pass the
 * quota by: what requests running at the same time use (each is admitted on the same count); what other instances
 * have counted and not written yet (up to {@code tollgate.usage-flush-every}); and what this instance wrote in the
 * last cache TTL. No money depends on it. If the usage cannot be read, the check lets the request through (and
 * logs it) rather than make a free model unavailable, and tries again after the TTL.
 */
public final class FreeQuota {

    private static final Logger LOG = LoggerFactory.getLogger(FreeQuota.class);

    /** How long one read of an account's day serves its checks: at most one read per account and second. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(1);
    private static final int ALTERNATIVES_SHOWN = 4;

    private final Catalog catalog;
    private final UsageStore recorded;
    private final UsageBatcher unflushed;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    /**
     * What was read of one account's day: tokens by model, valid until {@code until}. While a re-read runs,
     * {@code tokens} is not done yet and {@code before} (the previous read of the same day, if any) serves.
     */
    private record Seen(LocalDate day, Instant until, CompletableFuture<Map<String, Long>> tokens,
                        Map<String, Long> before) {
    }

    public FreeQuota(Catalog catalog, UsageStore recorded, UsageBatcher unflushed, Clock clock) {
        this(catalog, recorded, unflushed, clock, CACHE_TTL);
    }

    /**
     * @param recorded  the usage counters as stored (not {@link UsageBatcher#flushingBeforeReads()}, which writes)
     * @param unflushed the batcher whose counted, unwritten tokens are added; {@code null} when there is none
     * @param cacheTtl  how long one read of an account's day serves its checks
     */
    public FreeQuota(Catalog catalog, UsageStore recorded, UsageBatcher unflushed, Clock clock, Duration cacheTtl) {
        this.catalog = catalog;
        this.recorded = recorded;
        this.unflushed = unflushed;
        this.clock = clock;
        this.ttl = cacheTtl;
    }

    /**
     * Refuses the request when the account's tokens of {@code model} on {@code day} (UTC) have reached the model's
     * daily quota. A model without a quota, or not in the catalog, costs nothing here.
     *
     * @throws DailyQuotaExceededException 429 with {@code Retry-After} at midnight UTC
     */
    public void check(String accountId, String model, LocalDate day) {
        ModelEntry entry = catalog.find(model).orElse(null);
        if (entry == null || !entry.policy().hasDailyTokenQuota()) {
            return;
        }
        long quota = entry.policy().dailyTokenQuota();
        long used = used(accountId, model, day);
        if (used >= quota) {
            Instant midnight = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            long seconds = Math.max(1, (Duration.between(clock.instant(), midnight).toMillis() + 999) / 1000);
            throw new DailyQuotaExceededException(model, entry.isFree(), quota, used, seconds, alternatives(entry));
        }
    }

    /** The account's prompt plus completion tokens of {@code model} on {@code day}, as this instance sees them now. */
    public long used(String accountId, String model, LocalDate day) {
        long stored = recordedTokens(accountId, day).getOrDefault(model, 0L);
        return stored + (unflushed == null ? 0 : unflushed.pendingTokens(accountId, day, model));
    }

    private Map<String, Long> recordedTokens(String accountId, LocalDate day) {
        while (true) {
            Instant now = clock.instant();
            Seen current = seen.get(accountId);
            boolean sameDay = current != null && current.day().equals(day);
            if (sameDay && (now.isBefore(current.until()) || !current.tokens().isDone())) {
                if (!current.tokens().isDone() && current.before() != null) {
                    return current.before(); // being re-read by another request: the last read serves meanwhile
                }
                return current.tokens().join(); // fresh, or the first read, which everyone waits for
            }
            Map<String, Long> before = sameDay ? current.tokens().join() : null;
            Seen mine = new Seen(day, now.plus(ttl), new CompletableFuture<>(), before);
            boolean won = current == null ? seen.putIfAbsent(accountId, mine) == null : seen.replace(accountId, current, mine);
            if (won) {
                try {
                    mine.tokens().complete(read(accountId, day, before));
                } finally {
                    mine.tokens().complete(before == null ? Map.of() : before); // no waiter is left hanging
                }
                return mine.tokens().join();
            }
            // Another request started a read of this account at the same moment: use that one.
        }
    }

    /** One query of the account's usage rows of the day; on failure the last read (or nothing) until the TTL. */
    private Map<String, Long> read(String accountId, LocalDate day, Map<String, Long> before) {
        try {
            Map<String, Long> tokens = new HashMap<>();
            String iso = day.toString();
            for (UsageRow row : recorded.usage(accountId, day, day)) {
                if (iso.equals(row.day())) {
                    tokens.merge(row.model(), row.promptTokens() + row.completionTokens(), Long::sum);
                }
            }
            return Map.copyOf(tokens);
        } catch (RuntimeException e) {
            LOG.warn("could not read the usage of account {} for {}; its daily quotas are not enforced until the next "
                    + "read: {}", accountId, day, e.toString());
            return before == null ? Map.of() : before;
        }
    }

    /** Paid models that serve what {@code limited} serves (chat, else embeddings), in catalog order. */
    private List<String> alternatives(ModelEntry limited) {
        String purpose = limited.supports("chat") ? "chat" : "embeddings";
        return catalog.models().stream()
                .filter(m -> !m.isFree() && !m.id().equals(limited.id()) && m.supports(purpose))
                .map(ModelEntry::id).limit(ALTERNATIVES_SHOWN).toList();
    }
}
