package dev.tollgate.upstream.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.http.UpstreamHttp;
import dev.tollgate.json.JsonBuffers;
import dev.tollgate.upstream.ChatProvider;
import dev.tollgate.upstream.JsonTrees;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.upstream.UpstreamCalls;
import dev.tollgate.upstream.UpstreamException;
import dev.tollgate.upstream.UpstreamSettings;
import dev.tollgate.upstream.UpstreamStream;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Anthropic's native Messages API ({@code POST {base}/v1/messages}, {@code x-api-key}, {@code anthropic-version}).
 * The OpenAI-shaped body is translated by {@link ToAnthropicRequest}, the answer back by
 * {@link FromAnthropicResponse} or, streamed, by {@link AnthropicStreamDecoder}; the caller never sees Anthropic's
 * format. Failures before the first byte are retried like any upstream's.
 */
public final class AnthropicProvider implements ChatProvider {

    /** The Messages API version this translation follows. */
    public static final String API_VERSION = "2023-06-01";
    private static final ObjectMapper JSON = JsonBuffers.mapper();

    private final UpstreamSettings settings;
    private final UpstreamHttp http;
    private final UpstreamCalls calls;
    private final Clock clock;
    private final Map<String, String> headers;

    public AnthropicProvider(UpstreamSettings settings, UpstreamHttp http, Clock clock) {
        this(settings, http, clock, Metrics.NONE);
    }

    /** @param metrics told of failed attempts and retries */
    public AnthropicProvider(UpstreamSettings settings, UpstreamHttp http, Clock clock, Metrics metrics) {
        this.settings = settings;
        this.http = http;
        this.calls = new UpstreamCalls(settings, metrics);
        this.clock = clock;
        this.headers = headers(settings);
    }

    public AnthropicProvider(UpstreamSettings settings) {
        this(settings, UpstreamHttp.forSettings(settings), Clock.systemUTC());
    }

    @Override
    public byte[] chat(ObjectNode body) throws UpstreamException {
        byte[] request = JsonTrees.bytes(ToAnthropicRequest.map(body));
        URI uri = settings.resolve("v1/messages");
        UpstreamHttp.Buffered response = calls.withRetries(() -> {
            UpstreamHttp.Buffered answer = calls.send(() -> http.post(uri, headers, request, settings.requestTimeout()));
            if (answer.status() / 100 != 2) {
                throw UpstreamException.status(settings.name(), answer.status(), UpstreamCalls.truncate(answer.body()));
            }
            return answer;
        });
        try {
            JsonNode message = JSON.readTree(response.body());
            if (message == null || !message.isObject()) {
                throw calls.protocol("something that is not a Messages response", null);
            }
            return JsonTrees.bytes(FromAnthropicResponse.map(message, clock.instant().getEpochSecond()));
        } catch (IOException e) {
            throw calls.protocol("something that is not JSON", e);
        }
    }

    @Override
    public UpstreamStream stream(ObjectNode body) throws UpstreamException {
        byte[] request = JsonTrees.bytes(ToAnthropicRequest.map(body));
        URI uri = settings.resolve("v1/messages");
        return calls.withRetries(() -> {
            UpstreamHttp.Streamed response = calls.send(() -> http.postStreamed(uri, headers, request,
                    settings.firstByteTimeout()));
            if (response.status() / 100 != 2) {
                throw calls.status(response.status(), response.body());
            }
            return new AnthropicSseStream(response.body(), new AnthropicStreamDecoder(clock.instant().getEpochSecond()));
        });
    }

    private static Map<String, String> headers(UpstreamSettings settings) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("anthropic-version", API_VERSION);
        if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
            headers.put("x-api-key", settings.apiKey());
        }
        headers.putAll(settings.headers()); // e.g. anthropic-beta
        return Collections.unmodifiableMap(headers);
    }

    @Override
    public String genAiProvider() {
        return "anthropic";
    }
}
