package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.functions.support.Http;
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
 * Afford mode ({@code x-tollgate-afford: clamp}, {@code "tollgate": {"afford": "clamp"}}): when the money left cannot
 * cover the whole output bound, the bound is lowered to what it can, sent upstream and reported; only a request that
 * cannot afford even the minimum is refused. Racing requests never take the balance below zero.
 */
class AffordModeIT {

    static final String MESSAGES = "[{\"role\":\"user\",\"content\":\"Tell me a story\"}]";
    static final Map<String, String> CLAMP = Map.of("x-tollgate-afford", "clamp");
    static TestServer server;
    static URI chat;
    static int prompt;
    static ModelPricing qwen;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("tollgate.afford.min-output-tokens", "20"));
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

    /** The largest output bound whose hold on qwen3:latest fits {@code micros}. */
    static int affordable(long micros) {
        return (int) ((micros * 1_000_000L - 200_000L * prompt) / 600_000L);
    }

    @Test
    void aSmallBalanceLowersTheBoundInsteadOfRefusing() throws Exception {
        TestServer.Account account = server.openAccount("0.000100");
        String body = "{\"model\":\"qwen3:latest\",\"messages\":" + MESSAGES + "}";
        assertThat(Http.post(chat, account.key(), body).statusCode()).as("refused without afford mode").isEqualTo(403);
        server.upstream().enqueue(Behavior.defaults().usage(prompt, 1_000_000).endless());

        HttpResponse<String> response = Http.post(chat, account.key(), body, CLAMP);

        int bound = affordable(100);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-max-tokens-clamped")).hasValue(Integer.toString(bound));
        assertThat(server.upstream().takeRequest(Duration.ofSeconds(5)).json().get("max_tokens").asInt()).isEqualTo(bound);
        LedgerEntry entry = requestEntry(account.accountId());
        assertThat(entry.amount()).isEqualTo(qwen.cost(prompt, bound).negate());
        assertThat(entry.request().shortfall()).isEqualTo(Money.ZERO);
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("0.000100").minus(qwen.cost(prompt, bound)))
                .isGreaterThanOrEqualTo(Money.ZERO);
    }

    @Test
    void aBoundThatFitsIsLeftAloneAndNotReported() {
        TestServer.Account account = server.openAccount("1.00");
        HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"qwen3:latest\",\"max_tokens\":50,"
                + "\"tollgate\":{\"afford\":\"clamp\"},\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-max-tokens-clamped")).isEmpty();
    }

    @Test
    void notEvenTheMinimumIsTheUsual403() {
        // 20 output tokens at $0.60/M and the prompt cost more than $0.000010
        TestServer.Account account = server.openAccount("0.000010");
        HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"qwen3:latest\",\"messages\":"
                + MESSAGES + "}", CLAMP);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("insufficient_quota");
        assertThat(server.upstream().requests()).isEmpty();
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("0.000010"));
    }

    @Test
    void aKeyBudgetLowersTheBoundToo() {
        TestServer.Account account = server.openAccount("1.00");
        String key = json(Http.post(server.apiBase().resolve("/v1/keys"), account.key(),
                "{\"name\":\"small budget\",\"budget_usd\":\"0.000050\"}")).get("key").asText();
        server.upstream().enqueue(Behavior.defaults().usage(prompt, 1_000_000).endless());

        HttpResponse<String> response = Http.post(chat, key, "{\"model\":\"qwen3:latest\",\"messages\":" + MESSAGES + "}",
                CLAMP);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-max-tokens-clamped")).hasValue(Integer.toString(affordable(50)));
        assertThat(json(response).at("/tollgate/cost_usd").asText()).isEqualTo(qwen.cost(prompt, affordable(50)).toDollars());
    }

    @Test
    void aSpendWindowLowersTheBoundToo() {
        TestServer.Account account = server.openAccount("1.00");
        String key = json(Http.post(server.apiBase().resolve("/v1/keys"), account.key(),
                "{\"name\":\"small window\",\"limits\":[{\"window\":\"daily\",\"limit_usd\":\"0.000060\"}]}"))
                .get("key").asText();
        String body = "{\"model\":\"qwen3:latest\",\"messages\":" + MESSAGES + "}";
        assertThat(Http.post(chat, key, body).statusCode()).as("the window refuses the full bound").isEqualTo(429);

        HttpResponse<String> response = Http.post(chat, key, body, CLAMP);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-max-tokens-clamped")).hasValue(Integer.toString(affordable(60)));
    }

    @Test
    void anthropicMessagesTakeTheBodyFieldAndReportTheClamp() {
        TestServer.Account account = server.openAccount("0.000100");
        HttpResponse<String> response = Http.post(server.apiBase().resolve("/v1/messages"), account.key(),
                "{\"model\":\"qwen3:latest\",\"max_tokens\":4000,\"tollgate\":{\"afford\":\"clamp\"},\"messages\":"
                        + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-max-tokens-clamped")).hasValue(Integer.toString(affordable(100)));
    }

    @Test
    void racingClampedRequestsNeverOverspend() throws Exception {
        Money opening = Money.parseDollars("0.001000");
        TestServer.Account account = server.openAccount(opening.toDollars());
        // Every answer runs past its bound and reports a million tokens: each success costs exactly its hold.
        server.upstream().setDefault(Behavior.defaults().usage(prompt, 1_000_000).endless());

        List<HttpResponse<String>> responses = Http.postAllAtOnce(chat, account.key(), "{\"model\":\"qwen3:latest\","
                + "\"max_tokens\":500,\"tollgate\":{\"afford\":\"clamp\"},\"messages\":" + MESSAGES + "}", 20);

        Money charged = Money.ZERO;
        int served = 0;
        for (HttpResponse<String> response : responses) {
            assertThat(response.statusCode()).as(response.body()).isIn(200, 403);
            if (response.statusCode() != 200) {
                continue;
            }
            served++;
            int bound = response.headers().firstValue("x-tollgate-max-tokens-clamped").map(Integer::parseInt).orElse(500);
            assertThat(bound).isBetween(20, 500);
            Money cost = Money.parseDollars(json(response).at("/tollgate/cost_usd").asText());
            assertThat(cost).as("within its clamped bound").isLessThanOrEqualTo(qwen.cost(prompt, bound));
            charged = charged.plus(cost);
        }
        assertThat(served).as("three full requests fit the balance").isGreaterThanOrEqualTo(3);
        assertThat(charged).isLessThanOrEqualTo(opening);
        Money balance = server.balance(account.accountId());
        assertThat(balance).isGreaterThanOrEqualTo(Money.ZERO).isEqualTo(opening.minus(charged));
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(balance);
        assertThat(server.ledger(account.accountId())).allSatisfy(e -> {
            if (e.request() != null) {
                assertThat(e.request().shortfall()).isEqualTo(Money.ZERO);
            }
        });
    }

    private static LedgerEntry requestEntry(String accountId) {
        return server.ledger(accountId).stream().filter(e -> e.request() != null).findFirst().orElseThrow();
    }
}
