package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.functions.support.FakeAnthropic;
import dev.tollgate.functions.support.FakeAnthropic.Reply;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An upstream of kind {@code anthropic} through the real server: a fake speaking Anthropic's Messages API (JSON
 * and SSE) stands for api.anthropic.com. Each case asserts what the caller got in OpenAI's format, what the
 * upstream was sent, and the exact ledger entry.
 */
class AnthropicUpstreamIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MESSAGES = "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]";
    static FakeAnthropic anthropic;
    static TestServer server;
    static URI chat;
    static ModelPricing claude;

    @BeforeAll
    static void start() {
        anthropic = FakeAnthropic.start();
        server = TestServer.start(Map.of(
                "tollgate.catalog-files", TestServer.testCatalog() + "," + catalog(),
                "tollgate.upstreams.claude.kind", "anthropic",
                "tollgate.upstreams.claude.base-url", anthropic.baseUrl().toString(),
                "tollgate.upstreams.claude.api-key", "sk-ant-test",
                "tollgate.upstreams.claude.retry-backoff", "0ms",
                "tollgate.upstreams.claude.max-retries", "0"));
        chat = server.apiBase().resolve("/v1/chat/completions");
        claude = server.context().getBean(Catalog.class).find("test/claude").orElseThrow().pricing();
    }

    static String catalog() {
        try {
            return java.nio.file.Path.of(AnthropicUpstreamIT.class.getResource("/catalog/test-anthropic.json").toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        anthropic.close();
    }

    @BeforeEach
    void reset() {
        anthropic.reset();
        server.upstream().reset();
    }

    @Test
    void bufferedAnswerIsTranslatedAndBilledFromAnthropicsCounts() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        anthropic.enqueue(Reply.json("""
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-test",
                 "content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn",
                 "usage":{"input_tokens":12,"cache_read_input_tokens":0,"cache_creation_input_tokens":0,"output_tokens":3}}"""));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/claude\",\"max_tokens\":50,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Hello!");
        assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(12);
        FakeAnthropic.Recorded sent = anthropic.requests().getFirst();
        assertThat(sent.headers()).containsEntry("x-api-key", "sk-ant-test").containsEntry("anthropic-version", "2023-06-01");
        JsonNode upstream = JSON.readTree(sent.body());
        assertThat(upstream.path("model").asText()).isEqualTo("claude-test");
        assertThat(upstream.path("max_tokens").asInt()).isEqualTo(50);
        assertThat(upstream.path("system").asText()).isEqualTo("Be brief.");
        assertCharged(account, claude.cost(12, 3), "ok");
    }

    /**
     * 100 input, 800 read from the cache, 100 written to it, 50 out at $3 / $0.30 / $3.75 / $15 per million:
     * 300 + 240 + 375 + 750 = 1 665 µ$. Each token is priced once, the written ones at the write rate.
     */
    @Test
    void cacheWritesArePricedAtTheCatalogsCacheWriteRateAndShownOnEveryFormat() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        String message = """
                {"id":"msg_c","type":"message","role":"assistant","model":"claude-test",
                 "content":[{"type":"text","text":"Noted."}],"stop_reason":"end_turn",
                 "usage":{"input_tokens":100,"cache_read_input_tokens":800,"cache_creation_input_tokens":100,"output_tokens":50}}""";
        anthropic.enqueue(Reply.json(message));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/claude-cache\",\"max_tokens\":60,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode usage = JSON.readTree(response.body()).path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(1000);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(800);
        assertThat(usage.path("prompt_tokens_details").path("cache_write_tokens").asInt()).isEqualTo(100);
        assertThat(usage.path("cost").asText()).isEqualTo("0.001665");
        assertCharged(account, Money.ofMicros(1_665), "ok");
        assertThat(requestEntry(account.accountId()).request().usage().cacheWriteTokens()).isEqualTo(100);

        // The same answer through /v1/messages gives the counts back in Anthropic's shape, at the same price.
        TestServer.Account second = server.openAccount("1.00");
        anthropic.enqueue(Reply.json(message));
        HttpResponse<String> messages = Http.post(server.apiBase().resolve("/v1/messages"), second.key(),
                "{\"model\":\"test/claude-cache\",\"max_tokens\":60,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(messages.statusCode()).as(messages.body()).isEqualTo(200);
        JsonNode anthropicUsage = JSON.readTree(messages.body()).path("usage");
        assertThat(anthropicUsage.path("input_tokens").asInt()).isEqualTo(100);
        assertThat(anthropicUsage.path("cache_read_input_tokens").asInt()).isEqualTo(800);
        assertThat(anthropicUsage.path("cache_creation_input_tokens").asInt()).isEqualTo(100);
        assertThat(server.balance(second.accountId())).isEqualTo(Money.parseDollars("1.00").minus(Money.ofMicros(1_665)));
    }

    /**
     * Anthropic's output count includes the thinking but does not say how much: Tollgate counts the thinking text and
     * reports it as reasoning tokens on every endpoint, while the charge stays the upstream's output count.
     */
    @Test
    void thinkingIsReportedAsReasoningTokensOnEveryEndpointWithoutChangingTheCharge() throws Exception {
        String thinking = "The user wants a greeting, so a short hello will do.";
        long reasoning = new TokenCounter().count("o200k_base", thinking);
        String message = """
                {"id":"msg_t","type":"message","role":"assistant","model":"claude-test",
                 "content":[{"type":"thinking","thinking":"%s","signature":"sig"},{"type":"text","text":"Hello!"}],
                 "stop_reason":"end_turn","usage":{"input_tokens":12,"output_tokens":40}}""".formatted(thinking);
        String user = "[{\"role\":\"user\",\"content\":\"Hi\"}]";
        Map<String, String> bodies = Map.of(
                "/v1/chat/completions", "{\"model\":\"test/claude\",\"max_tokens\":60,\"messages\":" + user + "}",
                "/v1/responses", "{\"model\":\"test/claude\",\"max_output_tokens\":60,\"input\":\"Hi\",\"store\":false}",
                "/v1/messages", "{\"model\":\"test/claude\",\"max_tokens\":60,\"messages\":" + user + "}");
        for (Map.Entry<String, String> call : bodies.entrySet()) {
            TestServer.Account account = server.openAccount("1.00");
            anthropic.enqueue(Reply.json(message));
            HttpResponse<String> response = Http.post(server.apiBase().resolve(call.getKey()), account.key(), call.getValue());
            assertThat(response.statusCode()).as(call.getKey() + ": " + response.body()).isEqualTo(200);
            JsonNode usage = JSON.readTree(response.body()).path("usage");
            JsonNode details = usage.has("completion_tokens_details") ? usage.path("completion_tokens_details")
                    : usage.path("output_tokens_details");
            assertThat(details.path("reasoning_tokens").asLong()).as(call.getKey()).isEqualTo(reasoning).isPositive();
            assertThat(usage.has("completion_tokens") ? usage.path("completion_tokens").asInt()
                    : usage.path("output_tokens").asInt()).as(call.getKey()).isEqualTo(40);
            assertCharged(account, claude.cost(12, 40), "ok");
        }
    }

    @Test
    void theCatalogsCacheWritePriceIsListedWithTheModel() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        HttpResponse<String> models = Http.get(server.apiBase().resolve("/v1/models"), account.key());
        JsonNode cache = null;
        for (JsonNode model : JSON.readTree(models.body()).path("data")) {
            if (model.path("id").asText().equals("test/claude-cache")) {
                cache = model.path("pricing");
            }
        }
        assertThat(cache).isNotNull();
        assertThat(cache.path("input_cache_read_per_million").asText()).isEqualTo("0.30");
        assertThat(cache.path("input_cache_write_per_million").asText()).isEqualTo("3.75");
    }

    @Test
    void streamIsRelayedAsOpenAiChunksAndBilledExactly() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        anthropic.enqueue(Reply.sse(stream("msg_2", true, "Hel", "lo") + stop(true)));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/claude\",\"max_tokens\":50,\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"content\":\"Hel\"").contains("\"content\":\"lo\"")
                .contains("\"finish_reason\":\"stop\"").endsWith("data: [DONE]\n\n");
        assertThat(JSON.readTree(anthropic.requests().getFirst().body()).path("stream").asBoolean()).isTrue();
        assertCharged(account, claude.cost(20, 2), "ok");
    }

    @Test
    void failureBeforeTheFirstByteFallsBackAndChargesTheModelThatServed() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        anthropic.enqueue(Reply.error(529, "overloaded_error"));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/claude-fallback\",\"max_tokens\":20,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("model").asText()).isEqualTo("gemma3:1b");
        LedgerEntry entry = requestEntry(account.accountId());
        assertThat(entry.request().model()).isEqualTo("gemma3:1b");
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void failureBeforeTheFirstByteWithoutFallbackChargesNothing() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        anthropic.enqueue(Reply.error(503, "api_error"));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/claude\",\"max_tokens\":20,\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isGreaterThanOrEqualTo(502);
        assertThat(JSON.readTree(response.body()).path("error").path("type").asText()).isNotBlank();
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00"));
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void errorEventMidStreamChargesWhatWasDelivered() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        anthropic.enqueue(Reply.sse(stream("msg_3", true, "Partial")
                + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/claude\",\"max_tokens\":50,\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"content\":\"Partial\"").contains("\"error\"").endsWith("data: [DONE]\n\n");
        LedgerEntry entry = requestEntry(account.accountId());
        assertThat(entry.request().status()).isEqualTo("upstream_error");
        assertThat(entry.request().usage().completionTokens()).isEqualTo(new TokenCounter().count("o200k_base", "Partial"));
        assertThat(entry.amount()).isEqualTo(claude.cost(entry.request().usage().promptTokens(),
                entry.request().usage().completionTokens()).negate());
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void missingUsageIsCountedWithTheTokenizer() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        anthropic.enqueue(Reply.sse(stream("msg_4", false, "Hello there") + stop(false)));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/claude\",\"max_tokens\":50,\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"usage_counted_by\":\"tollgate\"");
        TokenCounter counter = new TokenCounter();
        int prompt = counter.countPrompt("o200k_base", JSON.readTree(MESSAGES), null);
        int completion = counter.count("o200k_base", "Hello there");
        assertCharged(account, claude.cost(prompt, completion), "ok");
    }

    @Test
    void reasoningIsInlinedBetweenThinkTagsWhenAskedAndABudgetIsSent() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        String thinking = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Hmm.\"}}\n\n";
        String sse = stream("msg_5", true).replace("event: content_block_start", thinking + "event: content_block_start")
                .replace("\"index\":0,\"content_block\":{\"type\":\"text\"", "\"index\":1,\"content_block\":{\"type\":\"text\"");
        anthropic.enqueue(Reply.sse(sse + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n" + stop(true)));

        HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"test/claude\",\"max_tokens\":3000,"
                + "\"stream\":true,\"reasoning_effort\":\"low\",\"tollgate_reasoning_in_content\":true,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"content\":\"<think>Hmm.\"").contains("\"content\":\"</think>Hi\"")
                .doesNotContain("reasoning_content");
        JsonNode sent = JSON.readTree(anthropic.requests().getFirst().body());
        assertThat(sent.path("thinking").path("budget_tokens").asInt()).isEqualTo(1500);
        assertThat(sent.has("tollgate_reasoning_in_content")).isFalse();
        assertCharged(account, claude.cost(20, 2), "ok");
    }

    private static String stream(String id, boolean usage, String... pieces) {
        StringBuilder sse = new StringBuilder("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\""
                + id + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\",\"content\":[]"
                + (usage ? ",\"usage\":{\"input_tokens\":20,\"output_tokens\":1}" : "") + "}}\n\n");
        sse.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        for (String piece : pieces) {
            sse.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"")
                    .append(piece).append("\"}}\n\n");
        }
        return sse.toString();
    }

    private static String stop(boolean usage) {
        return "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}"
                + (usage ? ",\"usage\":{\"output_tokens\":2}" : "") + "}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    }

    private static void assertCharged(TestServer.Account account, Money cost, String status) {
        LedgerEntry entry = requestEntry(account.accountId());
        assertThat(entry.request().status()).isEqualTo(status);
        assertThat(entry.amount()).isEqualTo(cost.negate());
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00").minus(cost));
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    private static LedgerEntry requestEntry(String accountId) {
        return server.ledger(accountId).stream().filter(e -> e.request() != null).reduce((a, b) -> b).orElseThrow();
    }
}
