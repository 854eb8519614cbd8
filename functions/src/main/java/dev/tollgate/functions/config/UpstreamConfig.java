package dev.tollgate.functions.config;

import dev.tollgate.upstream.UpstreamSettings;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One upstream, {@code tollgate.upstreams.<name>.*} (environment {@code TOLLGATE_UPSTREAMS_<NAME>_BASE_URL},
 * {@code ..._API_KEY}, {@code ..._KIND}). Adding an upstream is configuration only. {@code kind} picks the wire
 * format: {@code openai-compatible} (the default), {@code anthropic} (base URL defaults to Anthropic's API) or
 * {@code bedrock} (no key: the function's IAM credentials; {@code region} required, {@code base-url} only to
 * point the SDK at another endpoint). {@code api} ({@code chat}, the default, or {@code responses}; kind
 * {@code openai-compatible} only) says which OpenAI API the upstream is called with.
 */
@EachProperty("tollgate.upstreams")
public class UpstreamConfig {

    public static final String OPENAI_COMPATIBLE = "openai-compatible";
    public static final String ANTHROPIC = "anthropic";
    public static final String BEDROCK = "bedrock";

    public static final String API_CHAT = "chat";
    public static final String API_RESPONSES = "responses";

    private final String name;
    private String kind = OPENAI_COMPATIBLE;
    private String api = API_CHAT;
    private String region;
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
        URI url = switch (kind) {
            case OPENAI_COMPATIBLE -> baseUrl;
            case ANTHROPIC -> baseUrl != null ? baseUrl : URI.create("https://api.anthropic.com");
            case BEDROCK -> {
                if (region == null || region.isBlank()) {
                    throw new IllegalStateException("tollgate.upstreams." + name + ".region is not set (kind bedrock)");
                }
                yield baseUrl != null ? baseUrl : URI.create("https://bedrock-runtime." + region + ".amazonaws.com");
            }
            default -> throw new IllegalStateException("tollgate.upstreams." + name + ".kind is '" + kind
                    + "'; use openai-compatible, anthropic or bedrock");
        };
        if (!API_CHAT.equals(api) && !(API_RESPONSES.equals(api) && OPENAI_COMPATIBLE.equals(kind))) {
            throw new IllegalStateException("tollgate.upstreams." + name + ".api is '" + api
                    + "'; use chat, or responses on an upstream of kind openai-compatible");
        }
        if (url == null) {
            throw new IllegalStateException("tollgate.upstreams." + name + ".base-url is not set");
        }
        return new UpstreamSettings(name, url, apiKey, connectTimeout, firstByteTimeout, idleTimeout,
                requestTimeout, maxRetries, retryBackoff, headers);
    }

    public String getName() {
        return name;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind == null ? OPENAI_COMPATIBLE : kind.strip().toLowerCase(java.util.Locale.ROOT);
    }

    public String getApi() {
        return api;
    }

    /** Whether chat requests go to the upstream's {@code POST /responses} ({@code api: responses}). */
    public boolean usesResponsesApi() {
        return API_RESPONSES.equals(api);
    }

    public void setApi(String api) {
        this.api = api == null ? API_CHAT : api.strip().toLowerCase(java.util.Locale.ROOT);
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    /** Whether {@code base-url} was configured (Bedrock uses the SDK's own endpoint unless it was). */
    public boolean hasBaseUrl() {
        return baseUrl != null;
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
