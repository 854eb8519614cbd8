package dev.tollgate.upstream.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.http.UpstreamHttp;
import dev.tollgate.json.JsonBuffers;
import dev.tollgate.upstream.ChatProvider;
import dev.tollgate.upstream.EmbeddingProvider;
import dev.tollgate.upstream.JsonTrees;
import dev.tollgate.upstream.ModelLister;
import dev.tollgate.upstream.SseEvents;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.upstream.UpstreamCalls;
import dev.tollgate.upstream.UpstreamException;
import dev.tollgate.upstream.UpstreamException.Kind;
import dev.tollgate.upstream.UpstreamSettings;
import dev.tollgate.upstream.UpstreamStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Any server that speaks the OpenAI Chat Completions API (and the Embeddings API, for embedding models):
 * Ollama, vLLM, llama.cpp server, OpenAI, DeepSeek, Groq, OpenRouter. The body is forwarded as it is (the
 * service has already set the upstream model name, the output cap and {@code stream_options}); nothing
 * here knows a field it does not need.
 *
 * <p>With {@code responsesApi} (the upstream's {@code api: responses}) chat requests go to the upstream's own
 * {@code POST /responses} instead, translated by {@link ToResponsesRequest}, and the answer comes back through
 * {@link FromResponsesResponse} or, streamed, {@link ResponsesStreamDecoder}: the caller still gets chat JSON and
 * chunks, so the relay, its output bound and settlement do not learn which API served.
 *
 * <p>Failures before the first byte are retried ({@link UpstreamSettings#maxRetries()}); once an upstream
 * has answered 2xx, nothing is retried, because the caller may already have received tokens.
 */
public final class OpenAiCompatibleProvider implements ChatProvider, EmbeddingProvider, ModelLister {

    private static final ObjectMapper JSON = JsonBuffers.mapper();

    private final UpstreamSettings settings;
    /** Retries with backoff and error-body truncation, shared with the other providers. */
    private final UpstreamCalls calls;
    private final UpstreamHttp http;
    private final Map<String, String> bufferedHeaders;
    private final Map<String, String> streamHeaders;
    private final boolean responsesApi;
    /** Resolved once: {@link URI#create} parses the whole address, and it is the same for every request. */
    private final URI chatUri;
    private final URI responsesUri;
    private final URI embeddingsUri;

    public OpenAiCompatibleProvider(UpstreamSettings settings, UpstreamHttp http) {
        this(settings, http, false, Metrics.NONE);
    }

    /**
     * @param responsesApi chat is served by the upstream's {@code POST /responses}
     * @param metrics      told of failed attempts and retries
     */
    public OpenAiCompatibleProvider(UpstreamSettings settings, UpstreamHttp http, boolean responsesApi, Metrics metrics) {
        this.responsesApi = responsesApi;
        this.settings = settings;
        this.calls = new UpstreamCalls(settings, metrics);
        this.http = http;
        this.bufferedHeaders = headers(settings, "application/json");
        this.streamHeaders = headers(settings, "text/event-stream");
        this.chatUri = settings.resolve("chat/completions");
        this.responsesUri = settings.resolve("responses");
        this.embeddingsUri = settings.resolve("embeddings");
    }

    /** With the client {@link UpstreamHttp#forSettings} picks for the upstream's scheme. */
    public OpenAiCompatibleProvider(UpstreamSettings settings) {
        this(settings, UpstreamHttp.forSettings(settings));
    }

    @Override
    public byte[] chat(ObjectNode body) throws UpstreamException {
        if (!responsesApi) {
            return buffered(chatUri, body);
        }
        byte[] answer = buffered(responsesUri, ToResponsesRequest.map(body));
        try {
            JsonNode response = JSON.readTree(answer);
            if (response == null || !response.isObject() || !response.path("output").isArray()) {
                throw calls.protocol("something that is not a Responses response", null);
            }
            return JsonTrees.bytes(FromResponsesResponse.map(response));
        } catch (IOException e) {
            throw calls.protocol("something that is not JSON", e);
        }
    }

    /** POST {@code /embeddings}: buffered, retried like a buffered chat completion. */
    @Override
    public byte[] embeddings(ObjectNode body) throws UpstreamException {
        return buffered(embeddingsUri, body);
    }

    private byte[] buffered(URI uri, ObjectNode body) throws UpstreamException {
        byte[] bytes = JsonTrees.bytes(body);
        return calls.withRetries(() -> {
            UpstreamHttp.Buffered response = send(() -> http.post(uri, bufferedHeaders, bytes,
                    settings.requestTimeout()));
            if (response.status() / 100 != 2) {
                throw UpstreamException.status(settings.name(), response.status(), UpstreamCalls.truncate(response.body()));
            }
            return response.body();
        });
    }

    @Override
    public UpstreamStream stream(ObjectNode body) throws UpstreamException {
        URI uri = responsesApi ? responsesUri : chatUri;
        byte[] bytes = JsonTrees.bytes(responsesApi ? ToResponsesRequest.map(body) : body);
        return calls.withRetries(() -> {
            UpstreamHttp.Streamed response = send(() -> http.postStreamed(uri, streamHeaders, bytes,
                    settings.firstByteTimeout()));
            InputStream in = response.body();
            if (response.status() / 100 != 2) {
                String error;
                try (in) {
                    error = UpstreamCalls.truncate(in.readNBytes(UpstreamCalls.MAX_ERROR_BODY));
                } catch (IOException e) {
                    error = "";
                }
                throw UpstreamException.status(settings.name(), response.status(), error);
            }
            return responsesApi ? new ResponsesSseStream(in, new ResponsesStreamDecoder()) : new HttpUpstreamStream(in);
        });
    }

    /** GET {@code /models}, once, no retries: a probe of the upstream, which no caller waits on. */
    @Override
    public List<String> listModels(Duration timeout) throws UpstreamException {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.resolve("models")).timeout(timeout).GET();
        bufferedHeaders.forEach((name, value) -> {
            if (!name.equals("Content-Type")) {
                request.header(name, value);
            }
        });
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build()) {
            HttpResponse<byte[]> response = send(() -> client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
            if (response.statusCode() / 100 != 2) {
                throw UpstreamException.status(settings.name(), response.statusCode(), UpstreamCalls.truncate(response.body()));
            }
            List<String> ids = new ArrayList<>();
            try {
                JSON.readTree(response.body()).path("data").forEach(model -> {
                    if (model.path("id").isTextual()) {
                        ids.add(model.path("id").asText());
                    }
                });
            } catch (IOException e) {
                throw new UpstreamException(Kind.PROTOCOL, settings.name(), 0, "", "upstream " + settings.name()
                        + " answered GET /models with something that is not JSON", e);
            }
            return ids;
        }
    }

    /** Content type, accepted type, the upstream's key and its configured extra headers. */
    private static Map<String, String> headers(UpstreamSettings settings, String accept) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", accept);
        if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
            headers.put("Authorization", "Bearer " + settings.apiKey());
        }
        headers.putAll(settings.headers());
        return Collections.unmodifiableMap(headers);
    }

    private <T> T send(Exchange<T> exchange) throws UpstreamException {
        try {
            return exchange.run();
        } catch (HttpConnectTimeoutException e) {
            throw failure(Kind.UNREACHABLE, "connect to upstream " + settings.name() + " timed out", e);
        } catch (HttpTimeoutException e) {
            throw failure(Kind.TIMEOUT, "upstream " + settings.name() + " did not answer in time", e);
        } catch (ConnectException e) {
            throw failure(Kind.UNREACHABLE, "cannot connect to upstream " + settings.name() + " at " + settings.baseUrl(), e);
        } catch (IOException e) {
            throw failure(Kind.UNREACHABLE, "upstream " + settings.name() + " connection failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(Kind.UNREACHABLE, "interrupted while calling upstream " + settings.name(), e);
        }
    }

    @FunctionalInterface
    private interface Exchange<T> {
        T run() throws IOException, InterruptedException;
    }

    private UpstreamException failure(Kind kind, String message, Throwable cause) {
        return new UpstreamException(kind, settings.name(), 0, "", message, cause);
    }

    /**
     * The upstream's SSE body. Closing the body stream drops the connection, which cancels generation; after
     * {@code [DONE]}, {@link #release()} reads the chunked body's last chunk (it follows {@code [DONE]} at once
     * from a well-behaved server) and keeps the connection, saving the next stream a connect and the
     * upstream an accept.
     */
    private static final class HttpUpstreamStream implements UpstreamStream {
        /** How long the end of the body may take after {@code [DONE]} before the connection is given up. */
        private static final Duration DRAIN_WITHIN = Duration.ofMillis(50);

        private final InputStream in;
        private final SseEvents events;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile boolean done;

        HttpUpstreamStream(InputStream in) {
            this.in = in;
            this.events = new SseEvents(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        }

        @Override
        public boolean hasBuffered() {
            return events.ready();
        }

        @Override
        public void beforeWaiting(Runnable flush) {
            UpstreamHttp.Streamed.beforeWaiting(in, flush);
        }

        @Override
        public String next() throws IOException {
            String event = events.next();
            if (event == SseEvents.DONE) {
                done = true;
            }
            return event;
        }

        @Override
        public void close() {
            if (ended.compareAndSet(false, true)) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // Closing is how we cancel; a failure to close cleanly changes nothing for the caller.
                }
            }
        }

        @Override
        public void release() {
            if (!done) {
                close();
            } else if (ended.compareAndSet(false, true)) {
                UpstreamHttp.Streamed.release(in, DRAIN_WITHIN);
            }
        }
    }
}
