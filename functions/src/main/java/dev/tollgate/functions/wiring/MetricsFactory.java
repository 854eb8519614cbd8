package dev.tollgate.functions.wiring;

import dev.tollgate.functions.lambda.EmfRecorder;
import dev.tollgate.functions.lambda.FunctionRole;
import dev.tollgate.functions.metrics.MicrometerMetrics;
import dev.tollgate.metrics.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;

/**
 * One {@link Metrics} per process, given to everything that reports (billing, the key and account caches, the
 * upstreams, the reconciler). A Lambda function (its role is a bean) writes EMF lines; any other process (the local
 * server, a container) keeps Micrometer meters that {@code GET /metrics} renders for Prometheus. The JVM's own
 * numbers (memory, threads, CPU, uptime) are read only when scraped.
 */
@Factory
public class MetricsFactory {

    @Singleton
    Metrics metrics(Optional<FunctionRole> role, Clock clock) {
        if (role.isPresent()) {
            return EmfRecorder.toStdout(clock);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return new MicrometerMetrics(registry, clock);
    }
}
