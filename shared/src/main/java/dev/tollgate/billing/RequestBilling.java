package dev.tollgate.billing;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.metrics.Endpoint;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.metrics.Outcome;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.telemetry.Billed;
import dev.tollgate.telemetry.RequestContext;
import dev.tollgate.telemetry.RequestContexts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import dev.tollgate.windows.SpendWindow;
import dev.tollgate.windows.SpendWindows;
import dev.tollgate.windows.WindowExceededException;
import dev.tollgate.windows.WindowUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds and settles the money of one request: reserve the maximum cost before the upstream is called,
 * settle the actual cost afterwards. Shared by chat completions and embeddings.
 */
public final class RequestBilling {

    private static final Logger LOG = LoggerFactory.getLogger(RequestBilling.class);

    private final BalanceStore store;
    private final Clock clock;
    private final Duration holdTtl;
    private final String topUpHint;
    private final UsageBatcher freeUsage;
    private final BalanceCache<BalanceStore.Funds> accountCache;
    private final Backoff settleRetry;
    private final DebtObserver debts;
    private final SpendWindows windows;
    private final LimitRefusals refusals;
    private final Metrics metrics;
    private final RequestContexts contexts;
    private final SettlementObserver observer;

    /**
     * @param holdTtl   how long a hold lives before the reconciler may release it: the longest request
     *                  duration plus a margin
     * @param topUpHint where the 403 message sends the user to add credit
     */
    public RequestBilling(BalanceStore store, Clock clock, Duration holdTtl, String topUpHint) {
        this(store, clock, holdTtl, topUpHint, null, new BalanceCache<>(clock, Duration.ZERO));
    }

    /**
     * @param freeUsage    batches the usage of requests that take no hold (free models), so they cost no
     *                     DynamoDB write each; {@code null} records each one synchronously
     * @param accountCache what this instance last read of each account, for free requests: their balance
     *                     header and their debt check come from it (they move no money), one read per
     *                     account and TTL for both
     */
    public RequestBilling(BalanceStore store, Clock clock, Duration holdTtl, String topUpHint,
                          UsageBatcher freeUsage, BalanceCache<BalanceStore.Funds> accountCache) {
        this(store, clock, holdTtl, topUpHint, freeUsage, accountCache, Backoff.settlements());
    }

    public RequestBilling(BalanceStore store, Clock clock, Duration holdTtl, String topUpHint,
                          UsageBatcher freeUsage, BalanceCache<BalanceStore.Funds> accountCache, Backoff settleRetry) {
        this(store, clock, holdTtl, topUpHint, freeUsage, accountCache, settleRetry, DebtObserver.NONE);
    }

    /**
     * @param settleRetry how often, and with which pauses, a failing settlement is tried again
     * @param debts       told of every request whose cost beyond its hold became debt
     */
    public RequestBilling(BalanceStore store, Clock clock, Duration holdTtl, String topUpHint,
                          UsageBatcher freeUsage, BalanceCache<BalanceStore.Funds> accountCache, Backoff settleRetry,
                          DebtObserver debts) {
        this(store, clock, holdTtl, topUpHint, freeUsage, accountCache, settleRetry, debts, SpendWindows.NONE);
    }

    /** @param windows the spend windows of plans and keys, counted in every hold */
    public RequestBilling(BalanceStore store, Clock clock, Duration holdTtl, String topUpHint,
                          UsageBatcher freeUsage, BalanceCache<BalanceStore.Funds> accountCache, Backoff settleRetry,
                          DebtObserver debts, SpendWindows windows) {
        this(store, clock, holdTtl, topUpHint, freeUsage, accountCache, settleRetry, debts, windows, Metrics.NONE,
                RequestContexts.NONE, SettlementObserver.NONE);
    }

    /** @param observer told of each written settlement (alerts, auto top-up); it must not block */
    public RequestBilling(BalanceStore store, Clock clock, Duration holdTtl, String topUpHint,
                          UsageBatcher freeUsage, BalanceCache<BalanceStore.Funds> accountCache, Backoff settleRetry,
                          DebtObserver debts, SpendWindows windows, SettlementObserver observer) {
        this(store, clock, holdTtl, topUpHint, freeUsage, accountCache, settleRetry, debts, windows, Metrics.NONE,
                RequestContexts.NONE, observer);
    }

    public RequestBilling(BalanceStore store, Clock clock, Duration holdTtl, String topUpHint,
                          UsageBatcher freeUsage, BalanceCache<BalanceStore.Funds> accountCache, Backoff settleRetry,
                          DebtObserver debts, SpendWindows windows, Metrics metrics, RequestContexts contexts) {
        this(store, clock, holdTtl, topUpHint, freeUsage, accountCache, settleRetry, debts, windows, metrics, contexts,
                SettlementObserver.NONE);
    }

    /**
     * @param metrics  told of every hold taken and every request settled (requests, tokens, µ$, shortfall, debt)
     * @param contexts the inbound request a reservation is taken for: told of its settlement (its log line)
     * @param observer told of each written settlement (alerts, auto top-up); it must not block
     */
    public RequestBilling(BalanceStore store, Clock clock, Duration holdTtl, String topUpHint,
                          UsageBatcher freeUsage, BalanceCache<BalanceStore.Funds> accountCache, Backoff settleRetry,
                          DebtObserver debts, SpendWindows windows, Metrics metrics, RequestContexts contexts,
                          SettlementObserver observer) {
        this.metrics = metrics;
        this.contexts = contexts;
        this.observer = observer;
        this.windows = windows;
        this.refusals = new LimitRefusals(clock);
        this.store = store;
        this.clock = clock;
        this.holdTtl = holdTtl;
        this.topUpHint = topUpHint;
        this.freeUsage = freeUsage;
        this.accountCache = accountCache;
        this.settleRetry = settleRetry;
        this.debts = debts;
    }

    /** Reserves {@code maxCost} for a buffered request, or throws 403 {@code insufficient_quota} saying what is left. */
    public Reservation reserve(ApiKey key, String model, String requestId, Money maxCost) {
        return reserve(key, model, requestId, maxCost, 0, false);
    }

    /**
     * Reserves {@code maxCost} for the request in the account, the key, every spend window that applies and the key's
     * minute, or refuses: 403 {@code insufficient_quota} for the balance or the key budget, 429
     * {@code rate_limit_exceeded} for a window or a per-minute limit.
     *
     * @param heldTokens the most tokens the request can use (prompt plus output bound), counted towards {@code tpm_limit}
     * @param streamed   whether the caller asked for a stream: the request log records it
     */
    public Reservation reserve(ApiKey key, String model, String requestId, Money maxCost, long heldTokens,
                               boolean streamed) {
        RequestContext request = contexts.current();
        Reservation reservation = reserveOnly(key, model, requestId, maxCost, heldTokens, streamed);
        request.reserved(streamed);
        return request == RequestContext.NONE ? reservation : reservation.withContext(request);
    }

    private Reservation reserveOnly(ApiKey key, String model, String requestId, Money maxCost, long heldTokens,
                                    boolean streamed) {
        Instant now = clock.instant();
        RequestRate rate = rateOf(key, heldTokens);
        List<SpendWindow> spend = windowsOf(key);
        if (maxCost.isZero()) {
            // Free models take no hold, so the debt a hold would have refused is checked here, from
            // what this instance learnt in the last moment: a free request moves no money.
            Money owed = funds(key.accountId(), requestId).debt();
            if (owed.isPositive()) {
                throw new AccountInDebtException(owed, topUpHint);
            }
            // A free request changes no spend window; a key with per-minute limits counts it in one write.
            HoldCounters counted = HoldCounters.NONE;
            if (rate != null) {
                try {
                    counted = new HoldCounters(List.of(), store.countRate(rate, now), rate.countedTokens());
                } catch (RateExceededException e) {
                    throw refusals.rate(e, key);
                }
            }
            return new Reservation(requestId, key, null, now, streamed, spend, counted);
        }
        // Every hold moves the key's own item (keyBudgeted), so the key as stored, not as cached, decides.
        Hold hold = new Hold(requestId, key.accountId(), key.keyId(), key.secretHash(), true, maxCost, model,
                now, now.plus(holdTtl), key.name(), streamed, true);
        try {
            hold = spend.isEmpty() && rate == null ? reserveHold(hold) : store.reserve(hold, spend, rate);
        } catch (InsufficientFundsException e) {
            throw insufficient(e, key, maxCost);
        } catch (AccountInDebtException e) {
            throw new AccountInDebtException(e.owed(), topUpHint);
        } catch (WindowExceededException e) {
            throw refusals.window(e, key, maxCost, readQuietly(spend, requestId));
        } catch (RateExceededException e) {
            throw refusals.rate(e, key);
        }
        metrics.holdOpened(requestId, now);
        return new Reservation(requestId, key, hold, now, streamed, spend, HoldCounters.NONE);
    }

    /** The spend windows a request of {@code key} counts in: its account's plan's and its own. */
    public List<SpendWindow> windowsOf(ApiKey key) {
        return windows.applicable(key);
    }

    /** The key's per-minute limits for a request of up to {@code tokens}, or {@code null} for a key without any. */
    public RequestRate rateOf(ApiKey key, long tokens) {
        return key.rateLimited() ? new RequestRate(key.keyId(), key.rpmLimit(), key.tpmLimit(), tokens) : null;
    }

    /**
     * The 429 for a window or minute that refused a request costing {@code cost} (a direct charge's refusal).
     *
     * @param refused a {@link WindowExceededException} or {@link RateExceededException}
     */
    public ApiException refusal(RuntimeException refused, ApiKey key, Money cost, List<SpendWindow> spend, String requestId) {
        if (refused instanceof WindowExceededException e) {
            return refusals.window(e, key, cost, readQuietly(spend, requestId));
        }
        if (refused instanceof RateExceededException e) {
            return refusals.rate(e, key);
        }
        throw refused;
    }

    /** The tightest window of each kind among {@code spend} now, for the credit headers; best effort. */
    public List<WindowUsage> windowsNow(List<SpendWindow> spend, String requestId) {
        return SpendWindows.tightest(readQuietly(spend, requestId));
    }

    private Hold reserveHold(Hold hold) throws InsufficientFundsException {
        store.reserve(hold);
        return hold;
    }

    /**
     * The spend windows of the request's key and account now (the tightest per window), for the credit headers; best
     * effort: a failed read costs the headers, not the request.
     */
    public List<WindowUsage> windowsFor(Reservation reservation) {
        return SpendWindows.tightest(readQuietly(reservation.windows(), reservation.requestId()));
    }

    private List<WindowUsage> readQuietly(List<SpendWindow> spend, String requestId) {
        if (spend.isEmpty()) {
            return List.of();
        }
        try {
            return windows.usage(spend);
        } catch (RuntimeException e) {
            LOG.warn("request {}: spend windows for the headers could not be read: {}", requestId, e.toString());
            return List.of();
        }
    }

    /**
     * Charges the actual cost of {@code usage} at {@code pricing} and closes the reservation, exactly once. A
     * settlement that keeps failing (throttling, timeouts) is retried with backoff; if it still fails, the charge
     * is recorded on the hold and the reconciler settles it ({@link Settlement#deferred}).
     */
    public Settlement settle(Reservation reservation, String servedModel, ModelPricing pricing, TokenUsage usage, String status) {
        Charge charge = charge(reservation, servedModel, pricing, usage, status);
        Settlement settlement;
        try {
            settlement = settleOnly(reservation, charge);
        } catch (RuntimeException e) {
            // The request is over all the same: its log line says so, and its span ends.
            reservation.context().settled(billed(charge, "settle_failed", Settlement.deferred(Money.ZERO),
                    sinceStart(reservation)));
            throw e;
        }
        settleFreeRate(reservation, usage);
        if (reservation.context() != RequestContext.NONE) {
            reservation.context().settled(billed(charge, status, settlement, sinceStart(reservation)));
        }
        Settlement settled = reservation.windows().isEmpty() ? settlement : settlement.withWindows(windowsFor(reservation));
        tellObserver(reservation, settled);
        return settled;
    }

    /** Alerts and auto top-up watch paid settlements that were written now (their balance is known). */
    private void tellObserver(Reservation reservation, Settlement settled) {
        if (!reservation.held() || settled.isDeferred() || settled.alreadySettled() || settled.balance() == null) {
            return;
        }
        try {
            observer.settled(reservation.key(), settled);
        } catch (RuntimeException e) {
            LOG.warn("request {}: settlement observer failed: {}", reservation.requestId(), e.toString());
        }
    }

    /** A free request's tokens counted towards {@code tpm_limit} beyond what it used come back (best effort). */
    private void settleFreeRate(Reservation reservation, TokenUsage usage) {
        HoldCounters counted = reservation.freeRate();
        if (counted.rateItem() == null || counted.heldTokens() == 0) {
            return;
        }
        try {
            store.settleRate(counted.rateItem(), counted.heldTokens() - usage.totalTokens());
        } catch (RuntimeException e) {
            LOG.warn("request {}: unused tokens could not be returned to the key's minute: {}", reservation.requestId(),
                    e.toString());
        }
    }

    private Settlement settleOnly(Reservation reservation, Charge charge) {
        Settlement settlement = settleCharge(reservation, charge);
        if (reservation.held()) {
            metrics.holdClosed(reservation.requestId());
        }
        if (settlement.alreadySettled()) {
            return settlement;
        }
        observe(reservation.endpoint(), charge, settlement);
        if (reservation.held() && charge.cost().minus(reservation.hold().amount()).isPositive()) {
            metrics.shortfall(charge.cost().minus(reservation.hold().amount()));
        }
        return settlement;
    }

    /**
     * Tells the metrics of a request that ended with {@code charge} (settled, or charged directly without a hold):
     * one request, its tokens, what was taken and any debt it left.
     */
    public void observe(Endpoint endpoint, Charge charge, Settlement settlement) {
        metrics.request(endpoint, charge.model(), Outcome.ofSettled(charge.status()));
        metrics.usage(charge.model(), charge.usage(), settlement.charged());
        if (settlement.shortfall().isPositive()) {
            metrics.debt(settlement.shortfall());
        }
    }

    /** Tells the metrics of a request that was admitted and then failed without a settlement of its own. */
    public void observeFailure(Endpoint endpoint, String model) {
        metrics.request(endpoint, model, Outcome.UPSTREAM_ERROR);
    }

    private Settlement settleCharge(Reservation reservation, Charge charge) {
        ApiKey key = reservation.key();
        if (reservation.held()) {
            Settlement settlement = settleHeld(reservation.hold(), charge);
            if (settlement.balance() != null) {
                sawAfterHold(key.accountId(), settlement.balance());
            }
            if (settlement.shortfall().isPositive()) {
                LOG.warn("request {}: cost {} exceeded its hold of {}; {} of it is owed by account {}", reservation.requestId(),
                        charge.cost(), reservation.hold().amount(), settlement.shortfall(), key.accountId());
                debts.owed(key.accountId(), reservation.requestId(), settlement.shortfall());
            }
            return settlement;
        }
        if (freeUsage == null || !charge.cost().isZero()) {
            return store.record(charge);
        }
        freeUsage.add(charge);
        return new Settlement(Money.ZERO, Money.ZERO, funds(key.accountId(), reservation.requestId()).balance(), false);
    }

    /**
     * Records on the hold what the request has delivered so far, so that if this process dies the reconciler
     * charges it instead of releasing the hold for free. Free requests hold nothing and record nothing.
     */
    public void recordProgress(Reservation reservation, String servedModel, ModelPricing pricing, TokenUsage soFar) {
        if (reservation.held()) {
            store.recordProgress(reservation.hold(), charge(reservation, servedModel, pricing, soFar, "in_progress"), false);
        }
    }

    /**
     * A request charged without a hold (in-process embeddings, charged once computed) is over: its inbound request
     * is told, as a settlement would tell it.
     */
    public void charged(Charge charge, Settlement settlement) {
        RequestContext request = contexts.current();
        if (request != RequestContext.NONE) {
            request.settled(billed(charge, charge.status(), settlement, charge.latencyMs()));
        }
    }

    /** The log line's and span's view of a finished request, from its one charge. */
    private static Billed billed(Charge charge, String status, Settlement settlement, long latencyMs) {
        return new Billed(charge.requestId(), charge.accountId(), charge.keyId(), charge.model(), charge.route(),
                charge.streamed(), charge.usage().promptTokens(), charge.usage().completionTokens(),
                charge.cost().micros(), settlement.charged().micros(), status, latencyMs);
    }

    /** Milliseconds since the request was admitted, settlement included. */
    private long sinceStart(Reservation reservation) {
        return Duration.between(reservation.startedAt(), clock.instant()).toMillis();
    }

    /** What the usage costs at the served model's prices, never more than the caller's {@code max_cost_usd}. */
    private static Money cost(Reservation reservation, ModelPricing pricing, TokenUsage usage) {
        Money cost = pricing.cost(usage.promptTokens(), usage.cachedTokens(), usage.cacheWriteTokens(),
                usage.completionTokens());
        return reservation.ceiling() == null ? cost : cost.min(reservation.ceiling());
    }

    private Charge charge(Reservation reservation, String servedModel, ModelPricing pricing, TokenUsage usage, String status) {
        Instant now = clock.instant();
        Money cost = cost(reservation, pricing, usage);
        ApiKey key = reservation.key();
        return new Charge(reservation.requestId(), key.accountId(), key.keyId(), servedModel, usage, cost,
                status, Duration.between(reservation.startedAt(), now).toMillis(), now, key.name(), reservation.streamed(),
                reservation.route());
    }

    private Settlement settleHeld(Hold hold, Charge charge) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < settleRetry.attempts(); attempt++) {
            try {
                return store.settle(hold, charge);
            } catch (RuntimeException e) {
                last = e;
                LOG.warn("request {}: settlement attempt {} failed: {}", hold.holdId(), attempt + 1, e.toString());
                if (attempt + 1 < settleRetry.attempts() && !settleRetry.pause(attempt)) {
                    break;
                }
            }
        }
        try {
            store.recordProgress(hold, charge, true);
            LOG.error("request {}: settlement failed {} times; its charge of {} is recorded on the hold for the reconciler",
                    hold.holdId(), settleRetry.attempts(), charge.cost(), last);
        } catch (RuntimeException e) {
            last.addSuppressed(e);
            LOG.error("request {}: settlement failed and its charge could not be recorded; the reconciler charges "
                    + "the last progress recorded", hold.holdId(), last);
        }
        return Settlement.deferred(charge.cost());
    }

    /**
     * What this instance last saw of the account; a stale or missing view is read with any debt paid first
     * (ledger entry {@code debt:<requestId>}, so a second read for the same request pays nothing twice).
     */
    private BalanceStore.Funds funds(String accountId, String requestId) {
        return accountCache.get(accountId, account -> store.fundsAfterDebt(account, "debt:" + requestId, clock.instant()));
    }

    /**
     * A paid request's balance, read after its settlement, replaces the balance free requests show; what the
     * account owes is not learnt from it (a refund may have come since the hold was taken), so the view keeps
     * its age and is read again at the TTL. An account no free request has asked about is not cached.
     */
    private void sawAfterHold(String accountId, Money balance) {
        accountCache.update(accountId, seen -> new BalanceStore.Funds(balance, seen.debt()));
    }

    /** The account's current balance (open holds already taken out), read now. */
    public Money balance(String accountId) {
        return store.balance(accountId).orElse(Money.ZERO);
    }

    /** The balance to show a request: read now when it holds money, else what this instance last saw. */
    public Money balanceFor(Reservation reservation) {
        String accountId = reservation.key().accountId();
        if (!reservation.held()) {
            return funds(accountId, reservation.requestId()).balance();
        }
        Money balance = balance(accountId);
        sawAfterHold(accountId, balance);
        return balance;
    }

    private ApiException insufficient(InsufficientFundsException e, ApiKey key, Money maxCost) {
        String message = switch (e.limit()) {
            case ACCOUNT_BALANCE -> "Insufficient balance: " + e.available().display() + " left, this request may cost up to "
                    + maxCost.display() + ". " + topUpHint + " Or lower max_tokens to reduce the amount reserved.";
            // The key as cached may predate its budget (set on another instance): the stored budget refused it.
            case KEY_BUDGET -> "This API key's budget is used up: " + e.available().display() + " of its "
                    + (key.budget() == null ? "" : key.budget().display() + " ") + "budget left, this request may cost up to "
                    + maxCost.display()
                    + ". Raise the key's budget with a management key (PATCH /v1/keys/" + key.keyId()
                    + ") or lower max_tokens.";
        };
        return new ApiException(ErrorCode.INSUFFICIENT_QUOTA, message);
    }
}
