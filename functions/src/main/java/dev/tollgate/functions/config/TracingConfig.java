package dev.tollgate.functions.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code tollgate.tracing.*}: OpenTelemetry traces, off unless {@code enabled}. {@code endpoint} is the OTLP/HTTP
 * collector's base URL ({@code /v1/traces} is added); when unset, the standard {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 * applies, then {@code http://localhost:4318}. {@code service-name} falls back to {@code OTEL_SERVICE_NAME}, then
 * {@code tollgate}. {@code headers} go with every export (a collector's auth): never logged.
 */
@ConfigurationProperties("tollgate.tracing")
public class TracingConfig {

    public static final String DEFAULT_ENDPOINT = "http://localhost:4318";

    private boolean enabled;
    private String endpoint;
    private String serviceName;
    private Map<String, String> headers = new HashMap<>();
    private Duration exportTimeout = Duration.ofSeconds(10);
    private Duration exportEvery = Duration.ofSeconds(1);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public String getServiceName() {
        return serviceName;
    }

    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    public Map<String, String> getHeaders() {
        return headers;
    }

    public void setHeaders(Map<String, String> headers) {
        this.headers = headers == null ? new HashMap<>() : headers;
    }

    public Duration getExportTimeout() {
        return exportTimeout;
    }

    public void setExportTimeout(Duration exportTimeout) {
        this.exportTimeout = exportTimeout;
    }

    public Duration getExportEvery() {
        return exportEvery;
    }

    public void setExportEvery(Duration exportEvery) {
        this.exportEvery = exportEvery;
    }

    /** The traces URL: {@code endpoint}, else the standard variable's value, else the default, plus {@code /v1/traces}. */
    public String tracesUrl(String otelEndpoint) {
        String base = endpoint != null && !endpoint.isBlank() ? endpoint
                : otelEndpoint != null && !otelEndpoint.isBlank() ? otelEndpoint : DEFAULT_ENDPOINT;
        if (base.endsWith("/v1/traces")) {
            return base;
        }
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
    }

    public String serviceName(String otelServiceName) {
        if (serviceName != null && !serviceName.isBlank()) {
            return serviceName;
        }
        return otelServiceName != null && !otelServiceName.isBlank() ? otelServiceName : "tollgate";
    }
}
