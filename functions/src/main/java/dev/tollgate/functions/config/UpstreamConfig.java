package dev.tollgate.functions.config;

import dev.tollgate.upstream.UpstreamSettings;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One OpenAI-compatible upstream, {@code tollgate.upstreams.<name>.*} (environment
 * {@code TOLLGATE_UPSTREAMS_<NAME>_BASE_URL}, {@code ..._API_KEY}). Adding an upstream is configuration only.
 */
@EachProperty("tollgate.upstreams")
public class UpstreamConfig {

    private final String name;
    private URI baseUrl;
    private String apiKey;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration firstByteTimeout = Duration.ofSeconds(60);
    private Duration idleTimeout = Duration.ofSeconds(120);
    private Duration requestTimeout = Duration.ofMinutes(10);
    private int maxRetries = 1;
    private Duration retryBackoff = Duration.ofMillis(200);
    private Map<String, String> headers = new HashMap<>();

    public UpstreamConfig(@Parameter String name) {
        this.name = name;
    }

    public UpstreamSettings toSettings() {
        if (baseUrl == null) {
            throw new IllegalStateException("tollgate.upstreams." + name + ".base-url is not set");
        }
        return new UpstreamSettings(name, baseUrl, apiKey, connectTimeout, firstByteTimeout, idleTimeout,
                requestTimeout, maxRetries, retryBackoff, headers);
    }

    public String getName() {
        return name;
    }

    public URI getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getFirstByteTimeout() {
        return firstByteTimeout;
    }

    public void setFirstByteTimeout(Duration firstByteTimeout) {
        this.firstByteTimeout = firstByteTimeout;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    public Map<String, String> getHeaders() {
        return headers;
    }

    public void setHeaders(Map<String, String> headers) {
        this.headers = headers;
    }
}
