package dev.tollgate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiUpstreamIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static FakeOpenAiUpstream upstream;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAiUpstream.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        upstream.close();
        http.close();
    }

    @BeforeEach
    void clean() {
        upstream.reset();
    }

    @Test
    void bufferedCompletionHasOpenAiShapeAndUsage() throws Exception {
        HttpResponse<String> response = post("/chat/completions", chatBody(false, false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").asText()).startsWith("chatcmpl-fake-");
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("created").asLong()).isPositive();
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        JsonNode choice = body.path("choices").get(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("Hello from fake");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(11);
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(14);
    }

    @Test
    void streamDeliversPiecesInOrderThenDoneAndUsageOnlyWhenAsked() throws Exception {
        upstream.enqueue(Behavior.of("a", "b", "c").usage(7, 3).reasoning("thinking"), Behavior.of("a", "b", "c"));

        HttpResponse<String> withUsage = post("/chat/completions", chatBody(true, true));
        assertThat(withUsage.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<String> events = dataLines(withUsage.body());
        assertThat(events).hasSize(6).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = parse(events.subList(0, 5));
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(chunks.get(0).at("/choices/0/delta/reasoning_content").asText()).isEqualTo("thinking");
        assertThat(chunks.subList(0, 3)).extracting(c -> c.at("/choices/0/delta/content").asText())
                .containsExactly("a", "b", "c");
        assertThat(chunks.get(3).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks.get(3).at("/choices/0/delta").isEmpty()).isTrue();
        assertThat(chunks.get(4).path("choices").isEmpty()).isTrue();
        assertThat(chunks.get(4).at("/usage/total_tokens").asInt()).isEqualTo(10);
        assertThat(chunks.get(4).path("id").asText()).isEqualTo(chunks.get(0).path("id").asText());

        List<String> withoutUsage = dataLines(post("/chat/completions", chatBody(true, false)).body());
        assertThat(withoutUsage).hasSize(5).last().isEqualTo("[DONE]");
        assertThat(parse(withoutUsage.subList(0, 4))).noneMatch(c -> c.has("usage"));
    }

    @Test
    void noUsageOmitsUsageBufferedAndStreamed() throws Exception {
        upstream.setDefault(Behavior.defaults().noUsage());

        JsonNode buffered = JSON.readTree(post("/chat/completions", chatBody(false, false)).body());
        assertThat(buffered.has("usage")).isFalse();
        assertThat(buffered.at("/choices/0/message/content").asText()).isEqualTo("Hello from fake");

        List<String> events = dataLines(post("/chat/completions", chatBody(true, true)).body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(parse(events.subList(0, events.size() - 1)))
                .noneMatch(c -> c.path("usage").isObject())
                .allSatisfy(c -> assertThat(c.path("choices").size()).isEqualTo(1));
    }

    @Test
    void statusAnswersErrorImmediately() throws Exception {
        upstream.enqueue(Behavior.error(503, "{\"error\":{\"message\":\"overloaded\"}}").header("retry-after", "2"));

        HttpResponse<String> response = post("/chat/completions", chatBody(true, true));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("retry-after")).hasValue("2");
        assertThat(JSON.readTree(response.body()).at("/error/message").asText()).isEqualTo("overloaded");
        assertThat(post("/chat/completions", chatBody(false, false)).statusCode()).isEqualTo(200);
    }

    @Test
    void resetAfterPieceBreaksTheStreamAfterThatPiece() throws Exception {
        upstream.enqueue(Behavior.defaults().resetAfterPiece(0));

        HttpResponse<InputStream> response = http.send(request("/chat/completions", chatBody(true, true)),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader reader = reader(response.body())) {
            String first = nextData(reader);
            assertThat(JSON.readTree(first).at("/choices/0/delta/content").asText()).isEqualTo("Hello");
            assertThatThrownBy(() -> {
                while (reader.readLine() != null) {
                    // drain until the broken connection surfaces
                }
            }).isInstanceOf(IOException.class);
        }
        assertThat(upstream.clientDisconnects()).isZero();
    }

    @Test
    void resetAfterPieceTruncatesBufferedBodyToo() {
        upstream.enqueue(Behavior.defaults().resetAfterPiece(0));

        assertThatThrownBy(() -> post("/chat/completions", chatBody(false, false))).isInstanceOf(IOException.class);
        assertThat(upstream.requests()).hasSize(1);
    }

    @Test
    void holdBeforeHeadersDelaysTheWholeResponseUntilReleased() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        upstream.enqueue(Behavior.defaults().holdBeforeHeaders(release));

        CompletableFuture<HttpResponse<String>> call = http.sendAsync(request("/chat/completions",
                chatBody(false, false)), HttpResponse.BodyHandlers.ofString());
        assertThat(upstream.takeRequest(WAIT)).isNotNull();
        assertThat(call).isNotDone();
        release.countDown();

        assertThat(call.get().statusCode()).isEqualTo(200);
    }

    @Test
    void delayHeadersWaitsBeforeAnswering() throws Exception {
        upstream.enqueue(Behavior.defaults().delayHeaders(Duration.ofMillis(300)));

        long start = System.nanoTime();
        HttpResponse<String> response = post("/chat/completions", chatBody(false, false));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void holdAfterPieceLetsClientSeePieceBeforeRelease() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        upstream.enqueue(Behavior.defaults().holdAfterPiece(0, release));

        HttpResponse<InputStream> response = http.send(request("/chat/completions", chatBody(true, false)),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = reader(response.body())) {
            String first = nextData(reader);
            assertThat(JSON.readTree(first).at("/choices/0/delta/content").asText()).isEqualTo("Hello");
            assertThat(release.getCount()).isEqualTo(1);
            release.countDown();
            List<String> rest = new ArrayList<>();
            for (String data = nextData(reader); data != null; data = nextData(reader)) {
                rest.add(data);
            }
            assertThat(rest).hasSize(4).last().isEqualTo("[DONE]");
            assertThat(JSON.readTree(rest.get(0)).at("/choices/0/delta/content").asText()).isEqualTo(" from");
        }
    }

    @Test
    void clientGoingAwayDuringHoldIsNoticed() throws Exception {
        CountDownLatch neverReleased = new CountDownLatch(1);
        upstream.enqueue(Behavior.defaults().holdAfterPiece(0, neverReleased));

        HttpResponse<InputStream> response = http.send(request("/chat/completions", chatBody(true, false)),
                HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader reader = reader(response.body());
        assertThat(nextData(reader)).contains("Hello");
        reader.close(); // abandons the half-read response, so the client closes the connection

        assertThat(upstream.awaitClientDisconnect(WAIT)).isTrue();
        assertThat(upstream.clientDisconnects()).isEqualTo(1);
        assertThat(neverReleased.getCount()).isEqualTo(1);
    }

    @Test
    void malformedSseLineIsInsertedAndStreamContinues() throws Exception {
        upstream.enqueue(Behavior.defaults().malformedSseAfterPiece(1));

        List<String> events = dataLines(post("/chat/completions", chatBody(true, false)).body());

        assertThat(events).hasSize(6).contains("{not json", atIndex(2)).last().isEqualTo("[DONE]");
    }

    @Test
    void recordsEveryRequest() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/chat/completions"))
                .header("Authorization", "Bearer sk-test").header("X-Custom", "1")
                .POST(HttpRequest.BodyPublishers.ofString(chatBody(false, false))).build();
        http.send(req, HttpResponse.BodyHandlers.ofString());
        http.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());

        RecordedRequest first = upstream.takeRequest(WAIT);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/v1/chat/completions");
        assertThat(first.headers()).containsKeys("authorization", "x-custom");
        assertThat(first.header("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(first.json().path("model").asText()).isEqualTo("gpt-4o-mini");
        RecordedRequest second = upstream.takeRequest(WAIT);
        assertThat(second.method()).isEqualTo("GET");
        assertThat(second.body()).isEmpty();
        assertThat(upstream.requests()).containsExactly(first, second);
        assertThat(upstream.takeRequest(Duration.ofMillis(50))).isNull();
        upstream.clearRequests();
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void embeddingsAndModels() throws Exception {
        String body = "{\"model\":\"text-embedding-3-small\",\"input\":[\"one two three\",\"four\"]}";
        JsonNode first = JSON.readTree(post("/embeddings", body).body());
        JsonNode again = JSON.readTree(post("/embeddings", body).body());

        assertThat(first.path("object").asText()).isEqualTo("list");
        assertThat(first.path("data")).hasSize(2);
        assertThat(first.at("/data/1/index").asInt()).isEqualTo(1);
        assertThat(first.at("/data/0/embedding")).hasSize(8);
        assertThat(first.at("/data/0/embedding")).isNotEqualTo(first.at("/data/1/embedding"));
        assertThat(again.path("data")).isEqualTo(first.path("data"));
        assertThat(first.at("/usage/prompt_tokens").asInt()).isEqualTo(4);

        JsonNode models = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/models"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(models.path("object").asText()).isEqualTo("list");
        assertThat(models.path("data").get(0).path("object").asText()).isEqualTo("model");
    }

    @Test
    void handlesManyConcurrentStreams() {
        HttpClient defaultClient = HttpClient.newHttpClient(); // default version tries an h2c upgrade
        try (defaultClient) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                calls.add(defaultClient.sendAsync(request("/chat/completions", chatBody(i % 2 == 0, true)),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < calls.size(); i++) {
                HttpResponse<String> response = calls.get(i).join();
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains(i % 2 == 0 ? "data: [DONE]" : "\"Hello from fake\"");
            }
        }
        assertThat(upstream.requests()).hasSize(150);
    }

    private static org.assertj.core.data.Index atIndex(int i) {
        return org.assertj.core.data.Index.atIndex(i);
    }

    private static String chatBody(boolean stream, boolean includeUsage) {
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":"
                + stream;
        return body + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}}" : "}");
    }

    private static HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(URI.create(upstream.baseUrl() + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The payload of the next {@code data:} line, or null at end of stream. */
    private static String nextData(BufferedReader reader) throws IOException {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith("data: ")) {
                return line.substring("data: ".length());
            }
        }
        return null;
    }

    private static List<String> dataLines(String sse) {
        assertThat(sse).endsWith("\n\n");
        return sse.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    }

    private static List<JsonNode> parse(List<String> events) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String e : events) {
            nodes.add(JSON.readTree(e));
        }
        return nodes;
    }
}
