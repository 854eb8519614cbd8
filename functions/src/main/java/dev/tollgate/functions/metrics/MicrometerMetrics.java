package dev.tollgate.functions.metrics;

import dev.tollgate.metering.TokenUsage;
import dev.tollgate.metrics.Endpoint;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.metrics.Outcome;
import dev.tollgate.metrics.UpstreamError;
import dev.tollgate.money.Money;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Metrics} as Micrometer meters, named as docs/METRICS.md says. Every meter is built once per tag set and kept
 * (per model, per upstream), so a request costs a map lookup and a few atomic adds, and allocates nothing once its
 * model and upstream have been seen. Tag values come from the catalog and the configuration, never from the caller,
 * so the number of series is bounded.
 */
public final class MicrometerMetrics implements Metrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, ModelMeters> models = new ConcurrentHashMap<>();
    private final Map<String, UpstreamMeters> upstreams = new ConcurrentHashMap<>();
    /** The holds this instance took and has not settled yet, with when each was taken (epoch millis). */
    private final Map<String, Long> openHolds = new ConcurrentHashMap<>();
    private final Counter shortfall;
    private final Counter debt;
    private final Counter reconcilerRuns;
    private final Counter reconcilerReleased;
    private final Counter[] cache = new Counter[4];

    public MicrometerMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.shortfall = Counter.builder("tollgate.shortfall.microusd")
                .description("Cost beyond the hold of requests (paid from the balance or owed)").register(registry);
        this.debt = Counter.builder("tollgate.debt.microusd")
                .description("Debt created: cost the balance could not pay").register(registry);
        this.reconcilerRuns = Counter.builder("tollgate.reconciler.runs").register(registry);
        this.reconcilerReleased = Counter.builder("tollgate.reconciler.released")
                .description("Expired holds the reconciler closed").register(registry);
        for (Cache c : Cache.values()) {
            cache[c.ordinal() * 2] = Counter.builder("tollgate.cache.requests").tag("cache", c.tag()).tag("result", "miss")
                    .register(registry);
            cache[c.ordinal() * 2 + 1] = Counter.builder("tollgate.cache.requests").tag("cache", c.tag()).tag("result", "hit")
                    .register(registry);
        }
        Gauge.builder("tollgate.holds.open", openHolds, Map::size)
                .description("Holds this instance took and has not settled").register(registry);
        Gauge.builder("tollgate.holds.oldest.age", this, MicrometerMetrics::oldestOpenAgeSeconds).baseUnit("seconds")
                .description("Age of the oldest hold this instance has not settled").register(registry);
    }

    @Override
    public void request(Endpoint endpoint, String model, Outcome outcome) {
        model(model).request(endpoint, outcome).increment();
    }

    @Override
    public void usage(String model, TokenUsage usage, Money charged) {
        ModelMeters meters = model(model);
        meters.tokensIn.increment(usage.promptTokens());
        meters.tokensOut.increment(usage.completionTokens());
        meters.charged.increment(charged.micros());
    }

    @Override
    public void upstreamFirstByte(String upstream, long nanos) {
        upstream(upstream).firstByte.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void upstreamDuration(String upstream, boolean ok, long nanos) {
        UpstreamMeters meters = upstream(upstream);
        (ok ? meters.durationOk : meters.durationError).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void upstreamError(String upstream, UpstreamError kind) {
        upstream(upstream).errors[kind.ordinal()].increment();
    }

    @Override
    public void upstreamRetry(String upstream) {
        upstream(upstream).retries.increment();
    }

    @Override
    public void holdOpened(String holdId, Instant at) {
        openHolds.put(holdId, at.toEpochMilli());
    }

    @Override
    public void holdClosed(String holdId) {
        openHolds.remove(holdId);
    }

    @Override
    public void shortfall(Money beyondHold) {
        shortfall.increment(beyondHold.micros());
    }

    @Override
    public void debt(Money owed) {
        debt.increment(owed.micros());
    }

    @Override
    public void reconcilerRun(int released, int overdue, long oldestAgeSeconds) {
        reconcilerRuns.increment();
        reconcilerReleased.increment(released);
    }

    @Override
    public void alert(String kind) {
        registry.counter("tollgate.alerts", "kind", kind).increment(); // five kinds: looked up, not cached
    }

    @Override
    public void autoTopUp(String result) {
        registry.counter("tollgate.topups.auto", "result", result).increment();
    }

    @Override
    public void cache(Cache which, boolean hit) {
        cache[which.ordinal() * 2 + (hit ? 1 : 0)].increment();
    }

    /** The Prometheus text of every meter, or {@code null} when the registry is not a Prometheus one. */
    public String scrape() {
        return registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : null;
    }

    /** Scanned at scrape time only: the open holds of one instance are its requests in flight, a few hundred at most. */
    private double oldestOpenAgeSeconds() {
        long oldest = Long.MAX_VALUE;
        for (long at : openHolds.values()) {
            oldest = Math.min(oldest, at);
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    }

    private ModelMeters model(String model) {
        ModelMeters meters = models.get(model);
        return meters != null ? meters : models.computeIfAbsent(model, m -> new ModelMeters(registry, m));
    }

    private UpstreamMeters upstream(String upstream) {
        UpstreamMeters meters = upstreams.get(upstream);
        return meters != null ? meters : upstreams.computeIfAbsent(upstream, u -> new UpstreamMeters(registry, u));
    }
}
