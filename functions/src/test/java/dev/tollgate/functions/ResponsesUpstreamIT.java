package dev.tollgate.functions;

import static dev.tollgate.functions.support.FakeResponses.completed;
import static dev.tollgate.functions.support.FakeResponses.created;
import static dev.tollgate.functions.support.FakeResponses.event;
import static dev.tollgate.functions.support.FakeResponses.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.functions.support.FakeResponses;
import dev.tollgate.functions.support.FakeResponses.Reply;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An OpenAI-compatible upstream configured with {@code api: responses}, through the real server: a fake speaking the
 * Responses API (JSON and SSE) on real HTTP. Each case asserts what the caller got, what the upstream was sent and
 * the exact ledger entry, including an upstream that ignores {@code max_output_tokens}, reports no usage or more
 * than the bound, cuts the stream, or fails before its first byte.
 */
class ResponsesUpstreamIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MESSAGES = "[{\"role\":\"user\",\"content\":\"Tell me a story\"}]";
    static final String USAGE = "{\"input_tokens\":1200,\"input_tokens_details\":{\"cached_tokens\":1000},"
            + "\"output_tokens\":30,\"output_tokens_details\":{\"reasoning_tokens\":20},\"total_tokens\":1230}";
    static FakeResponses upstream;
    static TestServer server;
    static URI chat;
    static ModelPricing pricing;
    static int prompt;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeResponses.start();
        server = TestServer.start(Map.of(
                "tollgate.catalog-files", TestServer.testCatalog() + ","
                        + Path.of(ResponsesUpstreamIT.class.getResource("/catalog/test-responses.json").toURI()),
                "tollgate.upstreams.oai.base-url", upstream.baseUrl().toString(),
                "tollgate.upstreams.oai.api", "responses",
                "tollgate.upstreams.oai.api-key", "sk-upstream",
                "tollgate.upstreams.oai.retry-backoff", "0ms",
                "tollgate.upstreams.oai.max-retries", "0"));
        chat = server.apiBase().resolve("/v1/chat/completions");
        pricing = server.context().getBean(Catalog.class).find("test/responses").orElseThrow().pricing();
        prompt = new TokenCounter().countPrompt("o200k_base", JSON.readTree(MESSAGES), null);
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    static String response(String id, String usage) {
        return """
                {"id":"%s","object":"response","created_at":1765000000,"status":"completed","model":"gpt-test",
                 "output":[{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Think first."}]},
                           {"type":"message","id":"msg_1","role":"assistant","status":"completed",
                            "content":[{"type":"output_text","text":"Once upon a time.","annotations":[]}]}],
                 "usage":%s}""".formatted(id, usage);
    }

    @Test
    void bufferedChatIsServedByTheUpstreamsResponsesApiAndBilledFromItsCounts() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        upstream.enqueue(Reply.json(response("resp_1", USAGE)));

        HttpResponse<String> answer = Http.post(chat, account.key(),
                "{\"model\":\"test/responses\",\"max_tokens\":50,\"messages\":" + MESSAGES + "}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        JsonNode message = body.path("choices").get(0).path("message");
        assertThat(message.path("content").asText()).isEqualTo("Once upon a time.");
        assertThat(message.path("reasoning_content").asText()).isEqualTo("Think first.");
        assertThat(body.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(1000);
        assertThat(body.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(20);
        JsonNode sent = JSON.readTree(upstream.requests().getFirst());
        assertThat(sent.path("max_output_tokens").asInt()).isEqualTo(50);
        assertThat(sent.path("store").asBoolean()).isFalse();
        assertThat(sent.path("model").asText()).isEqualTo("gpt-test");
        assertThat(sent.has("messages")).isFalse();
        assertThat(sent.at("/input/0/content").asText()).isEqualTo("Tell me a story");
        // 200 × $3 + 1000 × $0.30 + 30 × $15 per million = 600 + 300 + 450 µ$
        assertCharged(account, Money.ofMicros(1_350), "ok", 30);
    }

    @Test
    void everyInboundFormatWorksOnAResponsesUpstreamAndCostsTheSame() throws Exception {
        Map<String, String> calls = new LinkedHashMap<>();
        calls.put("/v1/chat/completions", "{\"model\":\"test/responses\",\"max_tokens\":50,\"messages\":" + MESSAGES + "}");
        calls.put("/v1/responses", "{\"model\":\"test/responses\",\"max_output_tokens\":50,\"input\":\"Tell me a story\",\"store\":false}");
        calls.put("/v1/messages", "{\"model\":\"test/responses\",\"max_tokens\":50,\"messages\":" + MESSAGES + "}");
        calls.put("/v1/completions", "{\"model\":\"test/responses\",\"max_tokens\":50,\"prompt\":\"Tell me a story\"}");
        for (Map.Entry<String, String> call : calls.entrySet()) {
            TestServer.Account account = server.openAccount("1.00");
            upstream.enqueue(Reply.json(response("resp_f", USAGE)));
            HttpResponse<String> answer = Http.post(server.apiBase().resolve(call.getKey()), account.key(), call.getValue());
            assertThat(answer.statusCode()).as(call.getKey() + ": " + answer.body()).isEqualTo(200);
            assertThat(answer.body()).as(call.getKey()).contains("Once upon a time.");
            assertCharged(account, Money.ofMicros(1_350), "ok", 30);
        }
    }

    @Test
    void aStreamIsRelayedAsChatChunksAndBilledFromTheCompletedEventsUsage() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        String reasoning = event("response.reasoning_summary_text.delta", "{\"type\":\"response.reasoning_summary_text.delta\","
                + "\"item_id\":\"rs_1\",\"output_index\":0,\"summary_index\":0,\"delta\":\"Hmm.\"}");
        upstream.enqueue(Reply.sse(created("resp_s") + reasoning + text("Once") + text(" upon") + completed("resp_s", USAGE)));

        HttpResponse<String> answer = Http.post(chat, account.key(),
                "{\"model\":\"test/responses\",\"max_tokens\":50,\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"reasoning_content\":\"Hmm.\"").contains("\"content\":\"Once\"")
                .contains("\"content\":\" upon\"").contains("\"finish_reason\":\"stop\"")
                .contains("\"reasoning_tokens\":20").endsWith("data: [DONE]\n\n");
        JsonNode sent = JSON.readTree(upstream.requests().getFirst());
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.has("stream_options")).as("not a Responses field").isFalse();
        assertCharged(account, Money.ofMicros(1_350), "ok", 30);
    }

    @Test
    void anUpstreamThatIgnoresMaxOutputTokensIsCutAtTheBoundAndChargedAtMostIt() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        upstream.enqueue(Reply.endless());

        HttpResponse<String> answer = Http.post(chat, account.key(),
                "{\"model\":\"test/responses\",\"max_tokens\":5,\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"finish_reason\":\"length\"").endsWith("data: [DONE]\n\n");
        assertThat(JSON.readTree(upstream.requests().getFirst()).path("max_output_tokens").asInt()).isEqualTo(5);
        assertThat(upstream.awaitHangUp(Duration.ofSeconds(10))).as("the upstream call was cancelled").isTrue();
        assertCharged(account, pricing.cost(prompt, 5), "output_bound", 5);
    }

    @Test
    void usageLargerThanTheBoundIsChargedAtMostTheBound() throws Exception {
        String huge = "{\"input_tokens\":12,\"output_tokens\":1000000,\"total_tokens\":1000012}";
        TestServer.Account buffered = server.openAccount("1.00");
        upstream.enqueue(Reply.json(response("resp_b", huge)));
        HttpResponse<String> answer = Http.post(chat, buffered.key(),
                "{\"model\":\"test/responses\",\"max_tokens\":7,\"messages\":" + MESSAGES + "}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertCharged(buffered, pricing.cost(12, 7), "ok", 7);

        TestServer.Account streamed = server.openAccount("1.00");
        upstream.enqueue(Reply.sse(created("resp_h") + text("Once") + completed("resp_h", huge)));
        answer = Http.post(chat, streamed.key(),
                "{\"model\":\"test/responses\",\"max_tokens\":7,\"stream\":true,\"messages\":" + MESSAGES + "}");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertCharged(streamed, pricing.cost(12, 7), "ok", 7);
    }

    @Test
    void aStreamWithoutUsageIsCountedWithTheTokenizer() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        upstream.enqueue(Reply.sse(created("resp_n") + text("Hello there") + completed("resp_n", "null")));

        HttpResponse<String> answer = Http.post(chat, account.key(),
                "{\"model\":\"test/responses\",\"max_tokens\":50,\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"usage_counted_by\":\"tollgate\"");
        int completion = new TokenCounter().count("o200k_base", "Hello there");
        assertCharged(account, pricing.cost(prompt, completion), "ok", completion);
    }

    @Test
    void aStreamCutBeforeResponseCompletedIsChargedWhatWasDelivered() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        upstream.enqueue(Reply.sse(created("resp_c") + text("Partial")));

        HttpResponse<String> answer = Http.post(chat, account.key(),
                "{\"model\":\"test/responses\",\"max_tokens\":50,\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"content\":\"Partial\"").contains("\"error\"").endsWith("data: [DONE]\n\n");
        int delivered = new TokenCounter().count("o200k_base", "Partial");
        assertCharged(account, pricing.cost(prompt, delivered), "upstream_error", delivered);
    }

    @Test
    void aFailureBeforeTheFirstByteChargesNothing() throws Exception {
        for (boolean stream : new boolean[] {false, true}) {
            TestServer.Account account = server.openAccount("1.00");
            upstream.enqueue(Reply.error(503));

            HttpResponse<String> answer = Http.post(chat, account.key(), "{\"model\":\"test/responses\",\"max_tokens\":20,"
                    + "\"stream\":" + stream + ",\"messages\":" + MESSAGES + "}");

            assertThat(answer.statusCode()).as(answer.body()).isGreaterThanOrEqualTo(502);
            assertThat(JSON.readTree(answer.body()).path("error").path("type").asText()).isNotBlank();
            assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00"));
            assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
        }
    }

    private static void assertCharged(TestServer.Account account, Money cost, String status, long completionTokens) {
        LedgerEntry entry = awaitRequestEntry(account.accountId());
        assertThat(entry.request().status()).isEqualTo(status);
        assertThat(entry.request().usage().completionTokens()).isEqualTo(completionTokens);
        assertThat(entry.amount()).isEqualTo(cost.negate());
        assertThat(entry.request().shortfall()).isEqualTo(Money.ZERO);
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00").minus(cost));
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    /** Streams settle just after the caller's [DONE]: poll for the entry with a deadline. */
    private static LedgerEntry awaitRequestEntry(String accountId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var entry = server.ledger(accountId).stream().filter(e -> e.request() != null).findFirst();
            if (entry.isPresent()) {
                return entry.get();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no request settled within 10 s");
    }
}
