package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.testkit.Behavior;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request's cost ceiling ({@code max_cost_usd}, {@code x-tollgate-max-cost-usd}): a worst case above it is a 400
 * that moves nothing, a fallback dearer than it is never tried, and what runs is never charged more than it, even
 * when the upstream ignores {@code max_tokens} and reports a prompt far longer than Tollgate's estimate.
 */
class CostCeilingIT {

    static final String MESSAGES = "[{\"role\":\"user\",\"content\":\"Tell me a story\"}]";
    static TestServer server;
    static URI chat;
    static int prompt;
    static ModelPricing qwen;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("tollgate.catalog-files", TestServer.testCatalog(),
                "tollgate.upstreams.ollama.max-retries", "0")); // one queued 503 is one failed model
        chat = server.apiBase().resolve("/v1/chat/completions");
        prompt = new TokenCounter().countPrompt("o200k_base", new ObjectMapper().readTree(MESSAGES), null);
        qwen = server.context().getBean(Catalog.class).find("qwen3:latest").orElseThrow().pricing();
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
    void aWorstCaseAboveTheCeilingIsA400NamingBothAndMovesNothing() {
        TestServer.Account account = server.openAccount("1.00");
        Money worst = qwen.cost(prompt, 100);

        HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"qwen3:latest\",\"max_tokens\":100,"
                + "\"max_cost_usd\":\"" + worst.minus(Money.ofMicros(1)).toDollars() + "\",\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(error.get("param").asText()).isEqualTo("max_cost_usd");
        assertThat(error.get("message").asText()).contains(worst.display(), worst.minus(Money.ofMicros(1)).display());
        assertNothingMoved(account, "1.00");
    }

    @Test
    void theLowerOfHeaderAndBodyApplies() {
        TestServer.Account account = server.openAccount("1.00");
        HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"qwen3:latest\",\"max_tokens\":100,"
                        + "\"max_cost_usd\":5,\"messages\":" + MESSAGES + "}",
                Map.of("x-tollgate-max-cost-usd", "0.000010"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).at("/error/param").asText()).isEqualTo("x-tollgate-max-cost-usd");
        assertThat(json(response).at("/error/message").asText()).contains("$0.000010");
        assertNothingMoved(account, "1.00");
    }

    @Test
    void anUpstreamIgnoringMaxTokensAndOvercountingThePromptIsChargedNoMoreThanTheCeiling() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        Money ceiling = qwen.cost(prompt, 7);
        // Reports 30,000 prompt tokens (inside the context, far beyond the estimate) and a million completion tokens.
        server.upstream().enqueue(Behavior.defaults().usage(30_000, 1_000_000).endless());

        HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"qwen3:latest\",\"max_tokens\":7,"
                + "\"max_cost_usd\":\"" + ceiling.toDollars() + "\",\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).at("/usage/completion_tokens").asInt()).isEqualTo(7);
        assertThat(json(response).at("/tollgate/cost_usd").asText()).isEqualTo(ceiling.toDollars());
        JsonNode sent = server.upstream().takeRequest(Duration.ofSeconds(5)).json();
        assertThat(sent.has("max_cost_usd")).as("Tollgate's own field stays here").isFalse();
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(7);
        LedgerEntry entry = requestEntry(account.accountId());
        assertThat(entry.amount()).isEqualTo(ceiling.negate());
        assertThat(entry.request().shortfall()).as("nothing beyond the ceiling is owed").isEqualTo(Money.ZERO);
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00").minus(ceiling));
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void aStreamInAffordModeIsLoweredToTheCeilingAndCutThere() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        Money ceiling = Money.parseDollars("0.000100");
        int bound = (int) ((ceiling.micros() * 1_000_000L - 200_000L * prompt) / 600_000L);
        server.upstream().enqueue(Behavior.defaults().noUsage().endless());

        HttpResponse<java.io.InputStream> response = Http.postStreaming(chat, account.key(), "{\"model\":\"qwen3:latest\","
                + "\"stream\":true,\"max_cost_usd\":0.0001,\"tollgate\":{\"afford\":\"clamp\"},\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-max-tokens-clamped")).hasValue(Integer.toString(bound));
        List<String> lines;
        try (Sse sse = new Sse(response.body())) {
            lines = sse.rest();
        }
        assertThat(lines.getLast()).isEqualTo("data: [DONE]");
        JsonNode sent = server.upstream().takeRequest(Duration.ofSeconds(5)).json();
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(bound);
        assertThat(sent.has("tollgate")).isFalse();
        LedgerEntry entry = awaitRequestEntry(account.accountId());
        assertThat(entry.request().usage().completionTokens()).isEqualTo(bound);
        assertThat(entry.amount().negate()).isEqualTo(qwen.cost(prompt, bound)).isLessThanOrEqualTo(ceiling);
    }

    @Test
    void aFallbackDearerThanTheCeilingIsLeftOut() {
        TestServer.Account account = server.openAccount("0.01");
        server.upstream().enqueue(Behavior.error(503, "{\"error\":{\"message\":\"down\"}}"));

        // test/pricey holds about $5 for this prompt: without the ceiling the hold alone would refuse (403).
        HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"qwen3:latest\",\"max_tokens\":10,"
                + "\"models\":[\"test/pricey\"],\"max_cost_usd\":\"0.01\",\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isBetween(502, 503);
        assertThat(server.upstream().requests()).as("the dearer fallback was never tried").hasSize(1);
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("0.01"));
    }

    @Test
    void autoRoutingOnlyChoosesModelsWithinTheCeiling() {
        TestServer.Account account = server.openAccount("1.00");

        HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"auto\",\"max_tokens\":10,"
                + "\"max_cost_usd\":\"0.000001\",\"messages\":" + MESSAGES + "}");

        // $0.000001 covers only a free model (or none): either it served for nothing or the 400 names the ceiling.
        if (response.statusCode() == 200) {
            assertThat(json(response).at("/tollgate/cost_usd").asText()).isEqualTo("0.000000");
        } else {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(json(response).at("/error/param").asText()).isEqualTo("max_cost_usd");
        }
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00"));
    }

    @Test
    void embeddingsOverTheCeilingAreRefusedBeforeTheCharge() {
        TestServer.Account account = server.openAccount("1.00");
        HttpResponse<String> response = Http.post(server.apiBase().resolve("/v1/embeddings"), account.key(),
                "{\"model\":\"all-minilm-l6-v2\",\"input\":[" + ("\"" + "word ".repeat(100) + "\",").repeat(9)
                        + "\"end\"],\"max_cost_usd\":\"0.000001\"}"); // about 900 tokens at $0.005/M: $0.000005

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).at("/error/param").asText()).isEqualTo("max_cost_usd");
        assertNothingMoved(account, "1.00");
    }

    @Test
    void badCeilingsAndAffordModesAre400sNamingTheField() {
        TestServer.Account account = server.openAccount("1.00");
        Map<String, String> bodies = Map.of(
                "\"max_cost_usd\":0", "max_cost_usd", "\"max_cost_usd\":\"-1\"", "max_cost_usd",
                "\"max_cost_usd\":0.0000001", "max_cost_usd", "\"max_cost_usd\":[1]", "max_cost_usd",
                "\"max_cost_usd\":\"1e3\"", "max_cost_usd", "\"tollgate\":\"clamp\"", "tollgate",
                "\"tollgate\":{\"afford\":\"always\"}", "tollgate.afford", "\"tollgate\":{\"budget\":1}", "tollgate.budget");
        bodies.forEach((field, param) -> {
            HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"qwen3:latest\"," + field
                    + ",\"messages\":" + MESSAGES + "}");
            assertThat(response.statusCode()).as(field + " -> " + response.body()).isEqualTo(400);
            assertThat(json(response).at("/error/param").asText()).as(field).isEqualTo(param);
        });
        Map<String, String> headers = Map.of("x-tollgate-max-cost-usd", "abc", "x-tollgate-afford", "maybe");
        headers.forEach((name, value) -> {
            HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"qwen3:latest\",\"messages\":"
                    + MESSAGES + "}", Map.of(name, value));
            assertThat(response.statusCode()).as(name + " -> " + response.body()).isEqualTo(400);
            assertThat(json(response).at("/error/param").asText()).isEqualTo(name);
        });
        assertNothingMoved(account, "1.00");
    }

    private static void assertNothingMoved(TestServer.Account account, String opening) {
        assertThat(server.upstream().requests()).isEmpty();
        assertThat(server.ledger(account.accountId())).hasSize(1); // the opening credit only
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars(opening));
    }

    private static LedgerEntry requestEntry(String accountId) {
        return server.ledger(accountId).stream().filter(e -> e.request() != null).findFirst().orElseThrow();
    }

    /** Streams settle just after the caller's [DONE]: poll for the entry with a deadline. */
    static LedgerEntry awaitRequestEntry(String accountId) {
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
