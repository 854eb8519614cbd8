package dev.tollgate.functions.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Plain HTTP calls against the test server, as curl would make them. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public static HttpResponse<String> post(URI uri, String key, String body) {
        return post(uri, key, body, java.util.Map.of());
    }

    /** {@link #post(URI, String, String)} with extra request headers, e.g. {@code Idempotency-Key}. */
    public static HttpResponse<String> post(URI uri, String key, String body, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    public static HttpResponse<String> get(URI uri, String key) {
        return get(uri, key, java.util.Map.of());
    }

    /** {@link #get(URI, String)} with extra request headers, e.g. {@code Accept}. */
    public static HttpResponse<String> get(URI uri, String key, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    public static HttpResponse<String> delete(URI uri, String key) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).DELETE()
                .header("Authorization", "Bearer " + key).build());
    }

    public static HttpResponse<java.io.InputStream> postStreaming(URI uri, String key, String body) {
        return postStreaming(uri, key, body, java.util.Map.of());
    }

    /** {@link #postStreaming(URI, String, String)} with extra request headers. */
    public static HttpResponse<java.io.InputStream> postStreaming(URI uri, String key, String body,
                                                                  java.util.Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key);
        headers.forEach(builder::header);
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends {@code count} identical POSTs, released together from a latch so they race for the same
     * balance, and returns every response in submission order.
     */
    public static List<HttpResponse<String>> postAllAtOnce(URI uri, String key, String body, int count)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return post(uri, key, body);
                }));
            }
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get());
            }
            return responses;
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
