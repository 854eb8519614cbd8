package dev.tollgate.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach one upstream. Read from configuration ({@code tollgate.upstreams.<name>.*}).
 *
 * @param baseUrl          OpenAI-style base URL ending before {@code /chat/completions}, e.g.
 *                         {@code http://localhost:11434/v1}
 * @param apiKey           sent as {@code Authorization: Bearer}; may be null for local servers
 * @param connectTimeout   TCP connect
 * @param firstByteTimeout streams: until the upstream's response headers arrive
 * @param idleTimeout      streams: the longest silence between two upstream events
 * @param requestTimeout   buffered requests: the whole response (self-hosted servers often send
 *                         headers only when the generation is complete)
 * @param maxRetries       extra attempts on retryable failures before the first byte
 * @param retryBackoff     pause before the first retry, doubled for each further one
 * @param headers          extra headers sent on every request (e.g. OpenRouter's HTTP-Referer)
 */
public record UpstreamSettings(
        String name,
        URI baseUrl,
        String apiKey,
        Duration connectTimeout,
        Duration firstByteTimeout,
        Duration idleTimeout,
        Duration requestTimeout,
        int maxRetries,
        Duration retryBackoff,
        Map<String, String> headers) {

    public UpstreamSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static UpstreamSettings defaults(String name, URI baseUrl) {
        return new UpstreamSettings(name, baseUrl, null, Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(120), Duration.ofMinutes(10), 1, Duration.ofMillis(200), Map.of());
    }

    /** {@code baseUrl} joined with a path such as {@code chat/completions}, whatever its trailing slash. */
    public URI resolve(String path) {
        String base = baseUrl.toString();
        return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
    }
}
