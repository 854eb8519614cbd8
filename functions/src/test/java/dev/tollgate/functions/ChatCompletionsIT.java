package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.chat.ActiveStreams;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.json.JsonBuffers;
import dev.tollgate.testkit.Behavior;
import dev.tollgate.testkit.RecordedRequest;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Buffered chat completions end to end: real server, DynamoDB Local, the fake upstream over HTTP. */
class ChatCompletionsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static TestServer.Account account;
    static URI chat;

    @BeforeAll
    static void start() throws Exception {
        Path overlay = Path.of(ChatCompletionsIT.class.getResource("/catalog/test-overlay.json").toURI());
        server = TestServer.start(Map.of(
                "tollgate.catalog-files", java.util.List.of(overlay.toString()),
                "tollgate.upstreams.dead.base-url", "http://127.0.0.1:9/v1",
                "tollgate.upstreams.dead.retry-backoff", "0ms",
                "tollgate.upstreams.slow.base-url", "{upstream}",
                "tollgate.upstreams.slow.first-byte-timeout", "300ms",
                "tollgate.upstreams.slow.request-timeout", "300ms",
                "tollgate.upstreams.slow.max-retries", "0"));
        account = server.openAccount("5.00");
        chat = server.apiBase().resolve("/v1/chat/completions");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.upstream().reset();
    }

    @Test
    void forwardsTheBodyUnchangedExceptModelAndClampedMaxTokens() throws Exception {
        String body = """
                {"model":"qwen/qwen3-coder:free","max_tokens":999999,
                 "messages":[{"role":"user","content":"Write hello world"}],
                 "tools":[{"type":"function","function":{"name":"run","parameters":{"type":"object"}}}],
                 "response_format":{"type":"json_object"},"reasoning_effort":"low","provider_extra":{"x":[1,2]}}""";
        HttpResponse<String> response = Http.post(chat, account.key(), body);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode sent = server.upstream().takeRequest(Duration.ofSeconds(5)).json();
        JsonNode original = JSON.readTree(body);
        assertThat(sent.get("model").asText()).isEqualTo("qwen3-coder:latest");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(8192);
        for (String field : new String[] {"messages", "tools", "response_format", "reasoning_effort", "provider_extra"}) {
            assertThat(sent.get(field)).as(field).isEqualTo(original.get(field));
        }
        assertThat(sent.has("stream_options")).isFalse();
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.get("model").asText()).isEqualTo("qwen/qwen3-coder:free");
        assertThat(json.at("/choices/0/message/content").asText()).isEqualTo("Hello from fake");
        assertThat(json.at("/usage/prompt_tokens").asInt()).isEqualTo(11);
        assertThat(json.at("/usage/cost").asText()).isEqualTo("0.000000");
        assertThat(response.headers().firstValue("x-tollgate-balance-usd")).isPresent();
    }

    @Test
    void answersCarryOneDateHeaderBufferedAndStreamed() throws Exception {
        long before = System.currentTimeMillis() / 1000 * 1000;
        HttpResponse<String> buffered = Http.post(chat, account.key(),
                "{\"model\":\"qwen/qwen3-coder:free\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        HttpResponse<java.io.InputStream> streamed = Http.postStreaming(chat, account.key(),
                "{\"model\":\"qwen/qwen3-coder:free\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        streamed.body().readAllBytes();
        long after = System.currentTimeMillis();

        for (HttpResponse<?> response : java.util.List.of(buffered, streamed)) {
            assertThat(response.statusCode()).isEqualTo(200);
            java.util.List<String> dates = response.headers().allValues("Date");
            assertThat(dates).hasSize(1);
            java.time.ZonedDateTime at = java.time.ZonedDateTime.parse(dates.getFirst(),
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
            assertThat(at.toInstant().toEpochMilli()).isBetween(before, after);
            // Micronaut's text for that instant (RFC 1123 in GMT), as every other response has it
            assertThat(dates.getFirst()).isEqualTo(at.withZoneSameInstant(java.time.ZoneId.of("GMT"))
                    .format(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)).endsWith(" GMT");
        }
    }

    /**
     * Answers are written as UTF-8 bytes straight from their JSON trees: a character outside the Basic Multilingual
     * Plane reaches the caller as its four UTF-8 bytes, as the upstream sent it, not as two escaped surrogates.
     */
    @Test
    void emojiArriveAsUtf8BufferedAndStreamed() throws Exception {
        server.upstream().enqueue(Behavior.of("Hi ", "\uD83D\uDE00", " caf\u00e9"), Behavior.of("Hi ", "\uD83D\uDE00", " caf\u00e9"));
        String buffered = Http.post(chat, account.key(),
                "{\"model\":\"qwen3:latest\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").body();
        HttpResponse<java.io.InputStream> streamed = Http.postStreaming(chat, account.key(),
                "{\"model\":\"qwen3:latest\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        String stream = new String(streamed.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(JSON.readTree(buffered).at("/choices/0/message/content").asText()).isEqualTo("Hi \uD83D\uDE00 caf\u00e9");
        assertThat(buffered).contains("Hi \uD83D\uDE00 caf\u00e9").doesNotContainIgnoringCase("\\ud83d");
        assertThat(stream).contains("\"\uD83D\uDE00\"").contains("\" caf\u00e9\"").doesNotContainIgnoringCase("\\ud83d")
                .endsWith("data: [DONE]\n\n");
    }

    /**
     * A stream's tick is cancelled when the stream ends; it must leave the shared timer's queue then, not a period
     * (a second here) later: kept until due, every ended stream woke the timer thread once more for nothing.
     */
    @Test
    void anEndedStreamLeavesNoTickInTheTimersQueue() throws Exception {
        ScheduledThreadPoolExecutor timer = (ScheduledThreadPoolExecutor) server.context()
                .getBean(ScheduledExecutorService.class, Qualifiers.byName("stream-timer"));
        ActiveStreams streams = server.context().getBean(ActiveStreams.class);
        HttpResponse<java.io.InputStream> streamed = Http.postStreaming(chat, account.key(),
                "{\"model\":\"qwen3:latest\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(new String(streamed.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .endsWith("data: [DONE]\n\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (streams.size() > 0) { // the relay ends (and cancels its tick) just after the client's [DONE]
            assertThat(System.nanoTime() - deadline).as("the stream to end").isNegative();
            Thread.sleep(1);
        }

        assertThat(timer.getQueue()).noneMatch(task -> ((Future<?>) task).isCancelled());
    }

    @Test
    void theServersObjectMapperTakesJacksonBuffersFromTheSharedPool() {
        assertThat(server.context().getBean(ObjectMapper.class).getFactory()._getRecyclerPool())
                .isSameAs(JsonBuffers.POOL);
    }

    @Test
    void chargesThePaidModelAndReportsCostAndBalance() throws Exception {
        TestServer.Account fresh = server.openAccount("1.00");
        HttpResponse<String> response = Http.post(chat, fresh.key(),
                "{\"model\":\"qwen3:latest\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode json = JSON.readTree(response.body());
        // 11 prompt × $0.20/M + 3 completion × $0.60/M = 2.2 + 1.8 = 4 µ$
        assertThat(json.at("/usage/cost").asText()).isEqualTo("0.000004");
        assertThat(json.at("/tollgate/balance_usd").asText()).isEqualTo("0.999996");
        assertThat(response.headers().firstValue("x-tollgate-balance-micros")).hasValue("999996");
        assertThat(server.balance(fresh.accountId()).micros()).isEqualTo(999_996);
        assertThat(server.ledgerSum(fresh.accountId())).isEqualTo(server.balance(fresh.accountId()));
        assertThat(server.upstream().takeRequest(Duration.ofSeconds(5)).json().get("max_tokens").asInt()).isEqualTo(50);
    }

    @Test
    void countsUsageWithTheTokenizerWhenTheUpstreamOmitsIt() throws Exception {
        server.upstream().enqueue(Behavior.defaults().noUsage());
        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"gemma3:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        JsonNode json = JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.at("/usage/prompt_tokens").asInt()).isPositive();
        assertThat(json.at("/usage/completion_tokens").asInt()).isEqualTo(3); // "Hello from fake" in o200k_base
        assertThat(json.at("/usage/total_tokens").asInt())
                .isEqualTo(json.at("/usage/prompt_tokens").asInt() + json.at("/usage/completion_tokens").asInt());
        assertThat(json.at("/tollgate/usage_counted_by").asText()).isEqualTo("tollgate");
    }

    @Test
    void upstreamServerErrorIs502AndCostsNothing() throws Exception {
        TestServer.Account fresh = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.error(500, null), Behavior.error(500, null));
        HttpResponse<String> response = Http.post(chat, fresh.key(),
                "{\"model\":\"qwen3:latest\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("gateway_error");
        assertThat(server.upstream().requests()).hasSize(2); // one retry before the first byte
        assertThat(server.balance(fresh.accountId()).micros()).isEqualTo(1_000_000);
        assertThat(server.ledger(fresh.accountId())).filteredOn(e -> e.request() != null)
                .singleElement().satisfies(e -> {
                    assertThat(e.amount().micros()).isZero();
                    assertThat(e.request().status()).isEqualTo("upstream_error");
                });
    }

    @Test
    void upstreamBadRequestIsPassedOnAs400WithItsMessage() throws Exception {
        server.upstream().enqueue(Behavior.error(400, "{\"error\":{\"message\":\"tools are not supported by this model\"}}"));
        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"gemma3:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/message").asText()).contains("tools are not supported");
        assertThat(server.upstream().requests()).hasSize(1); // a 400 is not retried
    }

    /**
     * Nothing listens at the upstream's address: a 503 naming that address (so whoever runs it knows what to start),
     * and {@code x-should-retry: false} instead of a Retry-After, so the OpenAI SDKs fail at once rather than retry
     * for seconds (OpenAiSdkCompatibilityIT).
     */
    @Test
    void unreachableUpstreamIs503NamingItsAddress() throws Exception {
        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/dead\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("gateway_error");
        assertThat(JSON.readTree(response.body()).at("/error/message").asText())
                .isEqualTo("The upstream serving test/dead (dead at http://127.0.0.1:9/v1) is unreachable: connection "
                        + "refused. Retry in a moment or use another model.");
        assertThat(response.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void fallsBackToTheNextModelWhenTheFirstUpstreamIsDown() throws Exception {
        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/with-fallback\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("model").asText()).isEqualTo("gemma3:1b");
        assertThat(server.upstream().takeRequest(Duration.ofSeconds(5)).json().get("model").asText()).isEqualTo("gemma3:1b");
    }

    @Test
    void slowUpstreamIs504() throws Exception {
        var latch = new java.util.concurrent.CountDownLatch(1);
        server.upstream().enqueue(Behavior.defaults().holdBeforeHeaders(latch));
        try {
            HttpResponse<String> response = Http.post(chat, account.key(),
                    "{\"model\":\"test/slow\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("gateway_error");
        } finally {
            latch.countDown();
        }
    }

    @Test
    void modelListIncludesConfiguredModels() throws Exception {
        HttpResponse<String> response = Http.get(server.apiBase().resolve("/v1/models"), account.key());
        JsonNode data = JSON.readTree(response.body()).get("data");
        assertThat(data.findValuesAsText("id")).contains("qwen3:latest", "gemma3:1b", "qwen3-vl:235b-cloud",
                "deepseek-v3.1:671b-cloud", "qwen/qwen3-coder:free", "test/dead");
        JsonNode qwen = data.get(0);
        assertThat(qwen.get("context_length").asInt()).isEqualTo(32768);
        assertThat(qwen.at("/pricing/prompt").asText()).isEqualTo("0.0000002");
        assertThat(qwen.at("/pricing/completion_per_million").asText()).isEqualTo("0.60");
        assertThat(qwen.get("capabilities").toString()).contains("reasoning");
        assertThat(qwen.get("embedding")).as("chat models have no embedding object").isNull();
    }

    /** Regression: embeddings models were listed with max_output_tokens 0 and nothing about their vectors. */
    @Test
    void embeddingModelsListTheirVectorSizeAndInputLimitAndNoOutputBound() throws Exception {
        HttpResponse<String> response = Http.get(server.apiBase().resolve("/v1/models/all-minilm-l6-v2"), account.key());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode model = JSON.readTree(response.body());
        assertThat(model.get("max_output_tokens").isNull()).isTrue();
        assertThat(model.at("/embedding/dimensions").asInt()).isEqualTo(384);
        assertThat(model.at("/embedding/max_input_tokens").asInt()).isEqualTo(256);
        assertThat(model.at("/embedding/supports_dimensions").asBoolean()).isFalse();
        assertThat(model.at("/pricing/completion").asText()).isEqualTo("0");
    }

    @Test
    void recordsTheRequestAsTheUpstreamSawIt() throws Exception {
        Http.post(chat, account.key(), "{\"model\":\"gemma3:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        RecordedRequest request = server.upstream().takeRequest(Duration.ofSeconds(5));
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.header("authorization")).isNull(); // the caller's key never reaches the upstream
    }
}
