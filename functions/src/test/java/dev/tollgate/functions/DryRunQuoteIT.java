package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
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
 * {@code ?dry_run=true} on every billed endpoint: a quote of what the request would hold and which limit would refuse
 * it, with no upstream call, no hold, no ledger entry, and no per-minute counter consumed.
 */
class DryRunQuoteIT {

    static final String MESSAGES = "[{\"role\":\"user\",\"content\":\"Tell me a story\"}]";
    static TestServer server;
    static int prompt;
    static ModelPricing qwen;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
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

    static URI dryRun(String path) {
        return server.apiBase().resolve(path + "?dry_run=true");
    }

    @Test
    void aChatQuoteIsTheHoldAndItsPricesAndMovesNothing() {
        TestServer.Account account = server.openAccount("1.00");
        HttpResponse<String> response = Http.post(dryRun("/v1/chat/completions"), account.key(),
                "{\"model\":\"qwen3:latest\",\"max_tokens\":300,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode quote = json(response);
        assertThat(quote.get("object").asText()).isEqualTo("tollgate.quote");
        assertThat(quote.get("model").asText()).isEqualTo("qwen3:latest");
        assertThat(quote.get("prompt_tokens").asInt()).isEqualTo(prompt);
        assertThat(quote.get("max_output_tokens").asInt()).isEqualTo(300);
        assertThat(quote.get("worst_case_cost_micros").asLong()).isEqualTo(qwen.cost(prompt, 300).micros());
        assertThat(quote.get("worst_case_cost_usd").asText()).isEqualTo(qwen.cost(prompt, 300).toDollars());
        assertThat(quote.at("/pricing/input_per_million_usd").asText()).isEqualTo("0.20");
        assertThat(quote.at("/pricing/output_per_million_usd").asText()).isEqualTo("0.60");
        assertThat(quote.get("would_refuse").isNull()).isTrue();
        assertThat(quote.at("/headroom/balance_usd").asText()).isEqualTo("1.000000");
        assertNothingMoved(account, "1.00");
    }

    @Test
    void theQuoteNamesTheLimitThatWouldRefuse() {
        TestServer.Account account = server.openAccount("0.000100");
        JsonNode balance = json(Http.post(dryRun("/v1/chat/completions"), account.key(),
                "{\"model\":\"qwen3:latest\",\"messages\":" + MESSAGES + "}"));
        assertThat(balance.at("/would_refuse/limit").asText()).isEqualTo("balance");
        assertThat(balance.at("/would_refuse/status").asInt()).isEqualTo(403);
        assertThat(balance.at("/would_refuse/available_usd").asText()).isEqualTo("0.000100");

        JsonNode ceiling = json(Http.post(dryRun("/v1/chat/completions"), account.key(),
                "{\"model\":\"qwen3:latest\",\"max_cost_usd\":\"0.000001\",\"messages\":" + MESSAGES + "}"));
        assertThat(ceiling.at("/would_refuse/limit").asText()).isEqualTo("max_cost");
        assertThat(ceiling.at("/would_refuse/param").asText()).isEqualTo("max_cost_usd");

        JsonNode clamped = json(Http.post(dryRun("/v1/chat/completions"), account.key(),
                "{\"model\":\"qwen3:latest\",\"tollgate\":{\"afford\":\"clamp\"},\"messages\":" + MESSAGES + "}"));
        int bound = (int) ((100L * 1_000_000L - 200_000L * prompt) / 600_000L);
        assertThat(clamped.get("max_tokens_clamped").asInt()).isEqualTo(bound);
        assertThat(clamped.get("would_refuse").isNull()).isTrue();
        assertNothingMoved(account, "0.000100");
    }

    @Test
    void autoRoutingSaysWhichModelItWouldPick() {
        TestServer.Account account = server.openAccount("1.00");
        JsonNode quote = json(Http.post(dryRun("/v1/chat/completions"), account.key(),
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a Python function that sorts "
                        + "a list\"}]}"));

        assertThat(quote.get("model").asText()).isNotEqualTo("auto").isNotEmpty();
        assertThat(quote.get("route_reason").asText()).startsWith("auto: ");
        assertThat(quote.get("route").get(0).asText()).isEqualTo(quote.get("model").asText());
        assertNothingMoved(account, "1.00");
    }

    @Test
    void everyBilledEndpointQuotes() {
        TestServer.Account account = server.openAccount("1.00");
        Map<String, String> bodies = Map.of(
                "/v1/embeddings", "{\"model\":\"all-minilm-l6-v2\",\"input\":\"hello world\"}",
                "/v1/completions", "{\"model\":\"qwen3:latest\",\"prompt\":\"Say hello\",\"max_tokens\":9}",
                "/v1/responses", "{\"model\":\"qwen3:latest\",\"input\":\"Say hello\",\"max_output_tokens\":9}",
                "/v1/messages", "{\"model\":\"qwen3:latest\",\"max_tokens\":9,\"messages\":" + MESSAGES + "}");
        bodies.forEach((path, body) -> {
            HttpResponse<String> response = Http.post(dryRun(path), account.key(), body);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            JsonNode quote = json(response);
            assertThat(quote.get("object").asText()).as(path).isEqualTo("tollgate.quote");
            assertThat(quote.get("max_output_tokens").asInt()).as(path).isEqualTo(path.equals("/v1/embeddings") ? 0 : 9);
            assertThat(quote.get("worst_case_cost_micros").asLong()).as(path).isPositive();
        });
        assertNothingMoved(account, "1.00");
    }

    @Test
    void dryRunsDoNotCountAgainstTheKeysRequestsPerMinute() {
        TestServer.Account account = server.openAccount("1.00");
        String key = json(Http.post(server.apiBase().resolve("/v1/keys"), account.key(),
                "{\"name\":\"one a minute\",\"rpm_limit\":1}")).get("key").asText();
        String body = "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"messages\":" + MESSAGES + "}";
        for (int i = 0; i < 3; i++) {
            assertThat(Http.post(dryRun("/v1/chat/completions"), key, body).statusCode()).isEqualTo(200);
        }
        assertThat(Http.post(server.apiBase().resolve("/v1/chat/completions"), key, body).statusCode()).isEqualTo(200);
        assertThat(Http.post(server.apiBase().resolve("/v1/chat/completions"), key, body).statusCode()).isEqualTo(429);
    }

    @Test
    void aBadDryRunValueAndABadBodyAreStill400s() {
        TestServer.Account account = server.openAccount("1.00");
        HttpResponse<String> bad = Http.post(server.apiBase().resolve("/v1/chat/completions?dry_run=maybe"),
                account.key(), "{\"model\":\"qwen3:latest\",\"messages\":" + MESSAGES + "}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).at("/error/param").asText()).isEqualTo("dry_run");
        HttpResponse<String> invalid = Http.post(dryRun("/v1/chat/completions"), account.key(), "{\"model\":\"qwen3:latest\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).at("/error/param").asText()).isEqualTo("messages");
        assertThat(Http.post(dryRun("/v1/chat/completions"), null, "{}").statusCode()).isEqualTo(401);
        assertNothingMoved(account, "1.00");
    }

    private static void assertNothingMoved(TestServer.Account account, String opening) {
        assertThat(server.upstream().requests()).as("no upstream call").isEmpty();
        assertThat(server.ledger(account.accountId())).as("no ledger entry").hasSize(1);
        assertThat(server.balance(account.accountId())).as("no hold").isEqualTo(Money.parseDollars(opening));
    }
}
