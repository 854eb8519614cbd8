package dev.tollgate.upstream.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.upstream.ChatProvider;
import dev.tollgate.upstream.EmbeddingProvider;
import dev.tollgate.upstream.SseEvents;
import dev.tollgate.upstream.UpstreamException;
import dev.tollgate.upstream.UpstreamException.Kind;
import dev.tollgate.upstream.UpstreamSettings;
import dev.tollgate.upstream.UpstreamStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Any server that speaks the OpenAI Chat Completions API (and the Embeddings API, for embedding models):
 * Ollama, vLLM, llama.cpp server, OpenAI, DeepSeek, Groq, OpenRouter. The body is forwarded as it is (the
 * service has already set the upstream model name, the output cap and {@code stream_options}); nothing
 * here knows a field it does not need.
 *
 * <p>Failures before the first byte are retried ({@link UpstreamSettings#maxRetries()}); once an upstream
 * has answered 2xx, nothing is retried, because the caller may already have received tokens.
 */
public final class OpenAiCompatibleProvider implements ChatProvider, EmbeddingProvider {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final UpstreamSettings settings;
    private final HttpClient http;

    public OpenAiCompatibleProvider(UpstreamSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
    }

    /** An HTTP client suited to {@code settings}: plain HTTP/1.1 for http:// (no h2c upgrade dance), HTTP/2 over TLS. */
    public static HttpClient httpClientFor(UpstreamSettings settings) {
        boolean tls = "https".equalsIgnoreCase(settings.baseUrl().getScheme());
        return HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .version(tls ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public byte[] chat(ObjectNode body) throws UpstreamException {
        return buffered("chat/completions", body);
    }

    /** POST {@code /embeddings}: buffered, retried like a buffered chat completion. */
    @Override
    public byte[] embeddings(ObjectNode body) throws UpstreamException {
        return buffered("embeddings", body);
    }

    private byte[] buffered(String path, ObjectNode body) throws UpstreamException {
        HttpRequest request = request(path, body, "application/json", settings.requestTimeout());
        return withRetries(() -> {
            HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw UpstreamException.status(settings.name(), response.statusCode(), truncate(response.body()));
            }
            return response.body();
        });
    }

    @Override
    public UpstreamStream stream(ObjectNode body) throws UpstreamException {
        HttpRequest request = request("chat/completions", body, "text/event-stream", settings.firstByteTimeout());
        return withRetries(() -> {
            HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
            InputStream in = response.body();
            if (response.statusCode() / 100 != 2) {
                String error;
                try (in) {
                    error = truncate(in.readNBytes(MAX_ERROR_BODY));
                } catch (IOException e) {
                    error = "";
                }
                throw UpstreamException.status(settings.name(), response.statusCode(), error);
            }
            return new HttpUpstreamStream(in);
        });
    }

    private HttpRequest request(String path, ObjectNode body, String accept, Duration timeout) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a parsed JSON tree always serializes", e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
            builder.header("Authorization", "Bearer " + settings.apiKey());
        }
        settings.headers().forEach(builder::header);
        return builder.build();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws UpstreamException {
        try {
            return http.send(request, handler);
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

    private UpstreamException failure(Kind kind, String message, Throwable cause) {
        return new UpstreamException(kind, settings.name(), 0, "", message, cause);
    }

    private <T> T withRetries(Attempt<T> attempt) throws UpstreamException {
        UpstreamException last = null;
        for (int i = 0; i <= settings.maxRetries(); i++) {
            if (i > 0) {
                backoff(i);
            }
            try {
                return attempt.run();
            } catch (UpstreamException e) {
                last = e;
                if (!e.retryable()) {
                    throw e;
                }
            }
        }
        throw last;
    }

    private void backoff(int retry) throws UpstreamException {
        Duration pause = settings.retryBackoff().multipliedBy(1L << Math.min(retry - 1, 6));
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(Kind.UNREACHABLE, "interrupted while waiting to retry upstream " + settings.name(), e);
        }
    }

    private static String truncate(byte[] body) {
        int length = Math.min(body.length, MAX_ERROR_BODY);
        return new String(body, 0, length, StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws UpstreamException;
    }

    /** The upstream's SSE body. Closing the body stream drops the connection, which cancels generation. */
    private static final class HttpUpstreamStream implements UpstreamStream {
        private final InputStream in;
        private final SseEvents events;

        HttpUpstreamStream(InputStream in) {
            this.in = in;
            this.events = new SseEvents(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        }

        @Override
        public String next() throws IOException {
            return events.next();
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // Closing is how we cancel; a failure to close cleanly changes nothing for the caller.
            }
        }
    }
}
