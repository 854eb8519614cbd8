package dev.tollgate.functions.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.config.TracingConfig;
import org.junit.jupiter.api.Test;

/** Where spans go: Tollgate's own setting, else the standard OpenTelemetry variables, else a local collector. */
class TracingConfigTest {

    @Test
    void theStandardEndpointVariableAppliesWhenTollgatesIsUnset() {
        TracingConfig config = new TracingConfig();
        assertThat(config.tracesUrl(null)).isEqualTo("http://localhost:4318/v1/traces");
        assertThat(config.tracesUrl("https://collector.example:4318/")).isEqualTo("https://collector.example:4318/v1/traces");
        config.setEndpoint("http://otel:4318/v1/traces");
        assertThat(config.tracesUrl("https://collector.example:4318")).isEqualTo("http://otel:4318/v1/traces");
    }

    @Test
    void theServiceNameFallsBackToTheStandardVariableThenTollgate() {
        TracingConfig config = new TracingConfig();
        assertThat(config.serviceName(null)).isEqualTo("tollgate");
        assertThat(config.serviceName("gateway-eu")).isEqualTo("gateway-eu");
        config.setServiceName("mine");
        assertThat(config.serviceName("gateway-eu")).isEqualTo("mine");
    }
}
