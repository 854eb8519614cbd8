package dev.tollgate.functions.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.accounts.AccountReader;
import dev.tollgate.accounts.AccountService;
import dev.tollgate.accounts.BalanceAdjustments;
import dev.tollgate.billing.HoldReconciler;
import dev.tollgate.billing.Backoff;
import dev.tollgate.billing.BalanceCache;
import dev.tollgate.billing.BatchedRequestLog;
import dev.tollgate.billing.DebtObserver;
import dev.tollgate.billing.FreeQuota;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.billing.SettlementObserver;
import dev.tollgate.billing.StreamSlots;
import dev.tollgate.billing.UsageBatcher;
import dev.tollgate.billing.UsageService;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.chat.ActiveStreams;
import dev.tollgate.chat.ChatCompletionService;
import dev.tollgate.chat.ModelResolver;
import dev.tollgate.chat.RequestLifetime;
import dev.tollgate.chat.UpstreamRouter;
import dev.tollgate.telemetry.RequestContexts;
import dev.tollgate.functions.config.PlansConfig;
import dev.tollgate.functions.config.StreamConfig;
import dev.tollgate.functions.config.TollgateConfig;
import dev.tollgate.functions.config.UpstreamConfig;
import dev.tollgate.functions.lambda.EmfMetrics;
import dev.tollgate.health.Readiness;
import dev.tollgate.health.StoreProbe;
import dev.tollgate.keys.KeyAuthenticator;
import dev.tollgate.keys.KeyService;
import dev.tollgate.keys.RateLimiter;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.store.dynamo.DynamoAccountStore;
import dev.tollgate.store.dynamo.DynamoBalanceStore;
import dev.tollgate.store.dynamo.DynamoKeyStore;
import dev.tollgate.store.dynamo.DynamoLedgerLookup;
import dev.tollgate.store.dynamo.DynamoTables;
import dev.tollgate.store.dynamo.DynamoWindowStore;
import dev.tollgate.windows.Plans;
import dev.tollgate.windows.SpendWindows;
import dev.tollgate.windows.WindowReport;
import io.micronaut.context.env.Environment;
import dev.tollgate.upstream.ChatProvider;
import dev.tollgate.upstream.UpstreamHealth;
import dev.tollgate.upstream.UpstreamSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the domain services from configuration. Controllers receive services, never stores. */
@Factory
public class DomainFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    Catalog catalog(TollgateConfig config) {
        return CatalogLoader.loadWithOverlays(config.getCatalogFiles());
    }

    @Singleton
    TokenCounter tokenCounter() {
        return new TokenCounter();
    }

    @Singleton
    KeyAuthenticator keyAuthenticator(DynamoKeyStore keys, Clock clock, TollgateConfig config, Metrics metrics) {
        return new KeyAuthenticator(keys, clock, config.getKeyCacheTtl(), 100_000, metrics);
    }

    @Singleton
    AccountService accountService(DynamoAccountStore accounts, Clock clock) {
        return new AccountService(accounts, clock);
    }

    @Singleton
    KeyService keyService(DynamoKeyStore keys, KeyAuthenticator authenticator, Catalog catalog, Clock clock) {
        return new KeyService(keys, authenticator, catalog, clock);
    }

    /** Per-instance RPM counters; forgets idle keys beyond 100k tracked keys (see RateLimiter on why per instance). */
    @Singleton
    RateLimiter rateLimiter(Clock clock) {
        return new RateLimiter(clock, 100_000);
    }

    @Singleton
    UsageService usageService(DynamoBalanceStore balances, UsageBatcher freeUsage, DynamoKeyStore keys, Clock clock) {
        return new UsageService(freeUsage.flushingBeforeReads(), balances, keys, clock);
    }

    @Singleton
    AccountReader accountReader(DynamoAccountStore accounts) {
        return new AccountReader(accounts);
    }

    /** The ledger lookup is a store, but only BalanceAdjustments uses it, so it is built right here. */
    @Singleton
    BalanceAdjustments balanceAdjustments(DynamoAccountStore accounts, DynamoBalanceStore balances,
                                          DynamoDbClient dynamo, DynamoTables tables, Clock clock) {
        return new BalanceAdjustments(accounts, balances, new DynamoLedgerLookup(dynamo, tables), clock);
    }

    /**
     * Usage of free requests, summed in memory and written by {@code UsageFlushJob} every second, with their request log
     * entries unless {@code tollgate.log-free-requests} is false.
     */
    @Singleton
    @Bean(preDestroy = "flush")
    UsageBatcher freeUsage(DynamoBalanceStore balances, TollgateConfig config) {
        return new UsageBatcher(balances, config.isLogFreeRequests() ? new BatchedRequestLog(balances) : null);
    }

    /**
     * Daily token quotas of catalog models ({@code daily_token_quota}): read from the usage table through a 1 s
     * per-instance cache, plus what the batcher has not written yet; never writes.
     */
    @Singleton
    FreeQuota freeQuota(Catalog catalog, DynamoBalanceStore balances, UsageBatcher freeUsage, Clock clock) {
        return new FreeQuota(catalog, balances, freeUsage, clock);
    }

    @Singleton
    RequestBilling requestBilling(DynamoBalanceStore balances, Clock clock, TollgateConfig config, UsageBatcher freeUsage,
                                  SpendWindows windows, Metrics metrics, RequestContexts contexts,
                                  @Named("settlements") SettlementObserver settlements) {
        // Stale account views are re-read on a virtual thread, so a free request never waits for DynamoDB.
        return new RequestBilling(balances, clock, config.getHoldTtl(), config.getTopUpHint(), freeUsage,
                new BalanceCache<>(clock, config.getAccountCacheTtl(),
                        refresh -> Thread.ofVirtual().name("tollgate-account-refresh").start(refresh), metrics),
                Backoff.settlements(), debtMetric(clock), windows, metrics, contexts, settlements);
    }

    /** The operator's plans ({@code tollgate.plans.*}, {@code tollgate.default-plan}); none by default. */
    @Singleton
    Plans plans(Environment environment) {
        return PlansConfig.read(environment);
    }

    @Singleton
    WindowReport windowReport(DynamoKeyStore keys, SpendWindows windows) {
        return new WindowReport(keys, windows);
    }

    /** Spend windows of plans and keys; each account's plan is cached like keys, for the key cache TTL. */
    @Singleton
    SpendWindows spendWindows(Plans plans, DynamoWindowStore store, Clock clock, TollgateConfig config) {
        return new SpendWindows(plans, store, clock, config.getKeyCacheTtl());
    }

    /**
     * On Lambda, debt that arose from usage beyond a hold is the {@code UsageShortfallMicros} metric (EMF), which the
     * stack alarms on; elsewhere RequestBilling's WARN line is the record.
     */
    private static DebtObserver debtMetric(Clock clock) {
        String function = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        if (function == null || function.isBlank()) {
            return DebtObserver.NONE;
        }
        EmfMetrics metrics = EmfMetrics.toStdout(function);
        return (accountId, requestId, owed) -> metrics.emit(clock.millis(), Map.of("UsageShortfallMicros", owed.micros()));
    }

    @Singleton
    HoldReconciler holdReconciler(DynamoBalanceStore balances, Clock clock, Metrics metrics) {
        return new HoldReconciler(balances, clock, 100, metrics);
    }

    @Singleton
    ModelResolver modelResolver(Catalog catalog) {
        return new ModelResolver(catalog);
    }

    /** What this instance last knew of each upstream ({@code GET /ready}, the local server's banner). */
    @Singleton
    UpstreamHealth upstreamHealth(List<UpstreamConfig> upstreams, Clock clock) {
        return new UpstreamHealth(settings(upstreams), clock);
    }

    @Singleton
    UpstreamRouter upstreamRouter(List<UpstreamConfig> upstreams, UpstreamHealth health, Clock clock, Metrics metrics,
                                  RequestContexts contexts) {
        Map<String, ChatProvider> providers = new HashMap<>();
        upstreams.forEach(upstream -> providers.put(upstream.getName(), ChatProviderFactory.create(upstream, clock, metrics)));
        return new UpstreamRouter(providers, settings(upstreams), health, metrics, contexts);
    }

    private static Map<String, UpstreamSettings> settings(List<UpstreamConfig> upstreams) {
        Map<String, UpstreamSettings> settings = new HashMap<>();
        upstreams.forEach(upstream -> settings.put(upstream.getName(), upstream.toSettings()));
        return settings;
    }

    @Singleton
    Readiness readiness(StoreProbe store, UpstreamHealth upstreams) {
        return new Readiness(store, upstreams);
    }

    /** One virtual thread per relayed stream: relays block on upstream reads, and a cancel interrupts them. */
    @Singleton
    @Named("relay")
    @Bean(preDestroy = "shutdownNow")
    ExecutorService relayExecutor() {
        return Executors.newVirtualThreadPerTaskExecutor();
    }

    /**
     * Every stream schedules its tick here and cancels it when it ends. Cancelled ticks leave the queue at once: kept
     * until due (the executor's default), each woke the timer thread a second after its stream ended, a wake-up per
     * stream for nothing.
     */
    @Singleton
    @Named("stream-timer")
    @Bean(preDestroy = "shutdownNow")
    ScheduledExecutorService streamTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "tollgate-stream-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** The streams this instance relays, drained on shutdown by {@code StreamDrain}. */
    @Singleton
    ActiveStreams activeStreams() {
        return new ActiveStreams();
    }

    /** Refuses to build the chat service under settings where a request could outlive its hold or its function. */
    @Singleton
    ChatCompletionService chatCompletionService(ModelResolver models, UpstreamRouter router, TokenCounter tokens,
                                                RequestBilling billing, ObjectMapper json, StreamConfig stream,
                                                @Named("relay") ExecutorService relay,
                                                @Named("stream-timer") ScheduledExecutorService timer,
                                                ActiveStreams streams, Clock clock, TollgateConfig config,
                                                Catalog catalog, List<UpstreamConfig> upstreams, StreamSlots slots,
                                                FreeQuota quota,
                                                @Value("${tollgate.afford.min-output-tokens:16}") int affordMinimum) {
        RequestLifetime.check(config.getHoldTtl(), config.getFunctionTimeout(), catalog, settings(upstreams),
                stream.toSettings());
        return new ChatCompletionService(models, router, tokens, billing, json, stream.toSettings(), relay, timer,
                streams, clock, slots, quota, affordMinimum);
    }
}
