package dev.tollgate.functions.telemetry;

import dev.tollgate.functions.config.TracingConfig;
import dev.tollgate.telemetry.RequestContexts;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traces and request lines. With {@code tollgate.tracing.enabled} false (the default) no SDK object and no exporter
 * is built: every trace is {@link ServerTraces#OFF} and the upstream path binds nothing per attempt.
 */
@Factory
public class TelemetryFactory {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryFactory.class);

    @Singleton
    @Bean(preDestroy = "close")
    Traces traces(TracingConfig config, Environment environment) {
        if (!config.isEnabled()) {
            return new Traces(ServerTraces.OFF, null);
        }
        String url = config.tracesUrl(environment.getProperty("otel.exporter.otlp.endpoint", String.class).orElse(null));
        String service = config.serviceName(environment.getProperty("otel.service.name", String.class).orElse(null));
        LOG.info("tracing on: OTLP/HTTP spans to {} as service {}", url, service);
        OtelTraces otel = new OtelTraces(OtelTraces.otlpHttp(url, config), service, config);
        return new Traces(otel, otel);
    }

    @Singleton
    ServerTraces serverTraces(Traces traces) {
        return traces.server();
    }

    @Singleton
    RequestLines requestLines(@Value("${tollgate.log.requests:true}") boolean enabled) {
        return new RequestLines(enabled);
    }

    @Singleton
    RequestContexts requestContexts() {
        return new MicronautRequestContexts();
    }

    /** The server traces and, when tracing is on, the SDK to flush and shut down with the application. */
    public record Traces(ServerTraces server, OtelTraces sdk) implements AutoCloseable {
        public void flush() {
            if (sdk != null) {
                sdk.flush();
            }
        }

        @Override
        public void close() {
            if (sdk != null) {
                sdk.close();
            }
        }
    }
}
