package dev.tollgate.functions.metrics;

import dev.tollgate.metrics.UpstreamError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The meters of one configured upstream. Latencies are histograms (Prometheus buckets), so p50 and p99 can be computed
 * across instances with {@code histogram_quantile}; the buckets span 1 ms to 10 minutes, the longest stream.
 */
final class UpstreamMeters {

    final Timer firstByte;
    final Timer durationOk;
    final Timer durationError;
    final Counter[] errors = new Counter[UpstreamError.all().length];
    final Counter retries;

    UpstreamMeters(MeterRegistry registry, String upstream) {
        this.firstByte = timer("tollgate.upstream.first_byte", upstream).register(registry);
        this.durationOk = timer("tollgate.upstream.duration", upstream).tag("outcome", "ok").register(registry);
        this.durationError = timer("tollgate.upstream.duration", upstream).tag("outcome", "error").register(registry);
        for (UpstreamError kind : UpstreamError.all()) {
            errors[kind.ordinal()] = Counter.builder("tollgate.upstream.errors").tag("upstream", upstream)
                    .tag("kind", kind.tag()).register(registry);
        }
        this.retries = Counter.builder("tollgate.upstream.retries").tag("upstream", upstream).register(registry);
    }

    private static Timer.Builder timer(String name, String upstream) {
        return Timer.builder(name).tag("upstream", upstream).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10));
    }
}
