package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.functions.support.FakeBedrock;
import dev.tollgate.functions.support.FakeBedrock.Reply;
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
 * An upstream of kind {@code bedrock} through the real server, against a fake Bedrock Runtime endpoint that answers
 * Converse JSON and ConverseStream event-stream frames. Credentials come from the default chain (here the
 * {@code aws.accessKeyId} system properties, on Lambda the function's role); each case asserts the exact ledger.
 */
class BedrockUpstreamIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MESSAGES = "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]";
    static final String MODEL_ID = "anthropic.claude-3-5-haiku-20241022-v1:0";
    static FakeBedrock bedrock;
    static TestServer server;
    static URI chat;
    static ModelPricing pricing;

    @BeforeAll
    static void start() {
        System.setProperty("aws.accessKeyId", "AKIDTOLLGATETEST");
        System.setProperty("aws.secretAccessKey", "test-secret");
        bedrock = FakeBedrock.start();
        server = TestServer.start(Map.of(
                "tollgate.catalog-files", TestServer.testCatalog() + "," + resource("/catalog/test-bedrock.json"),
                "tollgate.upstreams.bedrock.kind", "bedrock",
                "tollgate.upstreams.bedrock.region", "eu-west-1",
                "tollgate.upstreams.bedrock.base-url", bedrock.baseUrl().toString(),
                "tollgate.upstreams.bedrock.retry-backoff", "0ms",
                "tollgate.upstreams.bedrock.max-retries", "0"));
        chat = server.apiBase().resolve("/v1/chat/completions");
        pricing = server.context().getBean(Catalog.class).find("test/bedrock-claude").orElseThrow().pricing();
    }

    static String resource(String name) {
        try {
            return java.nio.file.Path.of(BedrockUpstreamIT.class.getResource(name).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        bedrock.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @BeforeEach
    void reset() {
        bedrock.reset();
    }

    @Test
    void converseIsSignedTranslatedAndBilledWithCachedTokensAtTheCachedRate() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        bedrock.enqueue(Reply.converse("""
                {"output":{"message":{"role":"assistant","content":[{"text":"Hello!"}]}},"stopReason":"end_turn",
                 "usage":{"inputTokens":200,"cacheReadInputTokens":800,"cacheWriteInputTokens":0,"outputTokens":50,"totalTokens":1050}}"""));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/bedrock-claude\",\"max_tokens\":60,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Hello!");
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(1000);
        assertThat(body.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(800);
        FakeBedrock.Recorded sent = bedrock.requests().getFirst();
        assertThat(sent.path()).isEqualTo("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
        assertThat(sent.headers().get("authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDTOLLGATETEST/").contains("/eu-west-1/bedrock/aws4_request");
        JsonNode converse = JSON.readTree(sent.body());
        assertThat(converse.path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(60);
        assertThat(converse.path("system").get(0).path("text").asText()).isEqualTo("Be brief.");
        // 200 × $3 + 800 × $0.30 + 50 × $15 per million = 600 + 240 + 750 µ$
        assertCharged(account, Money.ofMicros(1_590), "ok");
        assertThat(pricing.cost(1000, 800, 50)).isEqualTo(Money.ofMicros(1_590));
    }

    @Test
    void reasoningTextIsCountedAsReasoningTokensWithoutChangingTheCharge() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        String thinking = "Two plus two is four.";
        bedrock.enqueue(Reply.converse("""
                {"output":{"message":{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"%s"}}},
                 {"text":"4"}]}},"stopReason":"end_turn",
                 "usage":{"inputTokens":20,"outputTokens":30,"totalTokens":50}}""".formatted(thinking)));

        HttpResponse<String> response = Http.post(server.apiBase().resolve("/v1/responses"), account.key(),
                "{\"model\":\"test/bedrock-claude\",\"max_output_tokens\":60,\"input\":\"2+2?\",\"store\":false}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode usage = JSON.readTree(response.body()).path("usage");
        assertThat(usage.path("output_tokens").asInt()).isEqualTo(30);
        assertThat(usage.path("output_tokens_details").path("reasoning_tokens").asLong())
                .isEqualTo(new dev.tollgate.metering.TokenCounter().count("o200k_base", thinking)).isPositive();
        assertCharged(account, pricing.cost(20, 30), "ok");
    }

    @Test
    void cacheWritesArePricedAtTheCacheWriteRateOnce() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        bedrock.enqueue(Reply.converse("""
                {"output":{"message":{"role":"assistant","content":[{"text":"Noted."}]}},"stopReason":"end_turn",
                 "usage":{"inputTokens":100,"cacheReadInputTokens":800,"cacheWriteInputTokens":100,"outputTokens":50,"totalTokens":1050}}"""));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/bedrock-claude\",\"max_tokens\":60,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode usage = JSON.readTree(response.body()).path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(1000);
        assertThat(usage.path("prompt_tokens_details").path("cache_write_tokens").asInt()).isEqualTo(100);
        // 100 × $3 + 800 × $0.30 + 100 × $3.75 + 50 × $15 per million = 300 + 240 + 375 + 750 µ$
        assertCharged(account, Money.ofMicros(1_665), "ok");
        assertThat(pricing.cost(1000, 800, 100, 50)).isEqualTo(Money.ofMicros(1_665));
    }

    @Test
    void converseStreamFramesAreRelayedAsOpenAiChunksAndBilledFromBedrocksCounts() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        bedrock.enqueue(Reply.stream(events(true, "Hel", "lo")));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/bedrock-claude\",\"max_tokens\":60,\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"content\":\"Hel\"").contains("\"content\":\"lo\"")
                .contains("\"finish_reason\":\"stop\"").endsWith("data: [DONE]\n\n");
        assertThat(bedrock.requests().getFirst().path()).endsWith("/converse-stream");
        assertCharged(account, pricing.cost(20, 0, 2), "ok");
    }

    @Test
    void failureBeforeTheFirstByteChargesNothing() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        bedrock.enqueue(Reply.error(503, "Service unavailable"));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/bedrock-claude\",\"max_tokens\":20,\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503); // the upstream's 503, passed on
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00"));
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void exceptionFrameMidStreamChargesWhatWasDelivered() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        bedrock.enqueue(Reply.stream("""
                [{"event":"messageStart","payload":{"role":"assistant"}},
                 {"event":"contentBlockDelta","payload":{"contentBlockIndex":0,"delta":{"text":"Partial"}}},
                 {"exception":"throttlingException","payload":{"message":"Too many requests"}}]"""));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/bedrock-claude\",\"max_tokens\":60,\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"content\":\"Partial\"").contains("\"error\"").endsWith("data: [DONE]\n\n");
        LedgerEntry entry = requestEntry(account.accountId());
        assertThat(entry.request().status()).isEqualTo("upstream_error");
        assertThat(entry.request().usage().completionTokens()).isEqualTo(new TokenCounter().count("o200k_base", "Partial"));
        assertThat(entry.amount()).isEqualTo(pricing.cost(entry.request().usage().promptTokens(),
                entry.request().usage().completionTokens()).negate());
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void missingMetadataIsCountedWithTheTokenizer() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        bedrock.enqueue(Reply.stream(events(false, "Hello there")));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/bedrock-claude\",\"max_tokens\":60,\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"usage_counted_by\":\"tollgate\"");
        TokenCounter counter = new TokenCounter();
        int prompt = counter.countPrompt("o200k_base", JSON.readTree(MESSAGES), null);
        assertCharged(account, pricing.cost(prompt, counter.count("o200k_base", "Hello there")), "ok");
    }

    private static String events(boolean usage, String... pieces) {
        StringBuilder events = new StringBuilder("[{\"event\":\"messageStart\",\"payload\":{\"role\":\"assistant\"}}");
        for (String piece : pieces) {
            events.append(",{\"event\":\"contentBlockDelta\",\"payload\":{\"contentBlockIndex\":0,\"delta\":{\"text\":\"")
                    .append(piece).append("\"}}}");
        }
        events.append(",{\"event\":\"contentBlockStop\",\"payload\":{\"contentBlockIndex\":0}}")
                .append(",{\"event\":\"messageStop\",\"payload\":{\"stopReason\":\"end_turn\"}}");
        if (usage) {
            events.append(",{\"event\":\"metadata\",\"payload\":{\"usage\":{\"inputTokens\":20,\"outputTokens\":2,\"totalTokens\":22}}}");
        }
        return events.append("]").toString();
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
