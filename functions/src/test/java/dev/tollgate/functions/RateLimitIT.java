package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A key's rpm_limit stops requests before they reach billing or the upstream. */
class RateLimitIT {

    static TestServer server;
    static TestServer.Account account;
    static URI chat;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.openAccount("5.00");
        chat = server.apiBase().resolve("/v1/chat/completions");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theFourthRequestInAMinuteIsRefusedWithRetryAfterAndReachesNeitherUpstreamNorBalance() {
        String key = json(Http.post(server.apiBase().resolve("/v1/keys"), account.key(),
                "{\"name\":\"throttled\",\"rpm_limit\":3}")).get("key").asText();
        server.upstream().reset();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = Http.post(chat, key, ApiCalls.chat("qwen3:latest"));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.headers().firstValue("x-ratelimit-limit-requests")).hasValue("3");
            assertThat(ok.headers().firstValue("x-ratelimit-remaining-requests")).hasValue(Integer.toString(2 - i));
            assertThat(ok.headers().firstValue("x-ratelimit-reset-requests")).isPresent();
        }
        Money balanceBefore = server.balance(account.accountId());
        int ledgerBefore = server.ledger(account.accountId()).size();

        HttpResponse<String> limited = Http.post(chat, key, ApiCalls.chat("qwen3:latest"));

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(json(limited).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(json(limited).at("/error/message").asText()).contains("3 requests per minute");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 20L); // one request regained every 60 s / 3
        assertThat(limited.headers().firstValue("x-ratelimit-limit-requests")).hasValue("3");
        assertThat(limited.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        assertThat(limited.headers().firstValue("x-ratelimit-reset-requests").orElseThrow())
                .matches("\\d+ms|\\d+(\\.\\d+)?s|1m0s"); // OpenAI's style: 120ms, 59.87s, 1m0s
        assertThat(server.upstream().requests()).hasSize(3);
        assertThat(server.balance(account.accountId())).isEqualTo(balanceBefore);
        assertThat(server.ledger(account.accountId())).hasSize(ledgerBefore);
    }

    /**
     * Regression: {@code POST /v1/chat/completions/} (trailing slash) reached the controller without the RPM check.
     * Whatever spelling reaches a billed controller is counted; a spelling that reaches none is a 404, not a bypass.
     */
    @Test
    void everyPathSpellingThatReachesABilledEndpointIsCounted() {
        String key = json(Http.post(server.apiBase().resolve("/v1/keys"), account.key(),
                "{\"name\":\"spellings\",\"rpm_limit\":2}")).get("key").asText();
        server.upstream().reset();
        List<String> spellings = List.of("/v1/chat/completions/", "/v1/chat/completions", "//v1/chat/completions",
                "/v1//chat/completions", "/V1/CHAT/COMPLETIONS", "/v1/chat/completions/", "/v1/embeddings/");
        int served = 0;
        for (String path : spellings) {
            HttpResponse<String> response = Http.post(URI.create(server.baseUrl() + path), key,
                    path.contains("embeddings") ? "{\"model\":\"nomic-embed-text\",\"input\":\"hi\"}"
                            : ApiCalls.chat("qwen3:latest"));
            assertThat(response.statusCode()).as(path + ": " + response.body()).isIn(200, 404, 429);
            served += response.statusCode() == 200 ? 1 : 0;
        }
        assertThat(served).as("at most rpm_limit answers, whatever the spelling").isEqualTo(2);
        assertThat(server.upstream().requests()).hasSize(2);
    }

    @Test
    void keysWithoutALimitAreNotCountedAndGetNoHeaders() {
        HttpResponse<String> ok = Http.post(chat, account.key(), ApiCalls.chat("gemma3:1b"));

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();
    }

    @Test
    void streamedAnswersCarryTheHeadersToo() throws Exception {
        String key = json(Http.post(server.apiBase().resolve("/v1/keys"), account.key(),
                "{\"name\":\"streamer\",\"rpm_limit\":10}")).get("key").asText();

        HttpResponse<java.io.InputStream> stream = Http.postStreaming(chat, key,
                "{\"model\":\"gemma3:1b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        try (java.io.InputStream body = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("x-ratelimit-limit-requests")).hasValue("10");
            assertThat(stream.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("9");
            assertThat(new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).contains("[DONE]");
        }
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        URI keys = server.apiBase().resolve("/v1/keys");
        String first = json(Http.post(keys, account.key(), "{\"name\":\"a\",\"rpm_limit\":1}")).get("key").asText();
        String second = json(Http.post(keys, account.key(), "{\"name\":\"b\",\"rpm_limit\":1}")).get("key").asText();

        assertThat(Http.post(chat, first, ApiCalls.chat("gemma3:1b")).statusCode()).isEqualTo(200);
        assertThat(Http.post(chat, first, ApiCalls.chat("gemma3:1b")).statusCode()).isEqualTo(429);
        assertThat(Http.post(chat, second, ApiCalls.chat("gemma3:1b")).statusCode()).isEqualTo(200);
    }
}
