package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One customer cannot starve the others: an account may hold {@code tollgate.stream.max-open-per-account} streams
 * open at once across every instance, and a model's {@code daily_token_quota} bounds what one account takes of it.
 * Both refusals are 429s that move no money and reach no upstream.
 */
class FairUseIT {

    static final String STREAM = "{\"model\":\"qwen3:latest\",\"stream\":true,\"max_tokens\":20,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static TestServer first;
    static TestServer second;

    @BeforeAll
    static void start() {
        Map<String, Object> settings = Map.of("tollgate.stream.max-open-per-account", 2,
                "tollgate.catalog-files", TestServer.testCatalog());
        first = TestServer.start(settings);
        second = first.secondInstance(settings);
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    @BeforeEach
    void reset() {
        first.upstream().reset();
    }

    @Test
    void aThirdOpenStreamOfOneAccountIsRefusedOnEveryInstanceUntilOneEnds() throws Exception {
        TestServer.Account account = first.openAccount("1.00");
        CountDownLatch hold = new CountDownLatch(1);
        first.upstream().enqueue(Behavior.defaults().holdAfterPiece(0, hold), Behavior.defaults().holdAfterPiece(0, hold));
        List<Sse> open = new ArrayList<>();
        try {
            for (TestServer server : List.of(first, second)) {
                HttpResponse<java.io.InputStream> response = Http.postStreaming(chat(server), account.key(), STREAM);
                assertThat(response.statusCode()).isEqualTo(200);
                Sse sse = new Sse(response.body());
                assertThat(sse.nextLine()).startsWith("data: ");
                open.add(sse);
            }
            Money before = first.balance(account.accountId());
            int upstreamCalls = first.upstream().requests().size();

            for (TestServer server : List.of(first, second)) {
                HttpResponse<String> refused = Http.post(chat(server), account.key(), STREAM);
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
                assertThat(ApiCalls.json(refused).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
                assertThat(ApiCalls.json(refused).at("/error/message").asText()).contains("2");
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            }
            assertThat(first.balance(account.accountId())).as("refusals hold nothing").isEqualTo(before);
            assertThat(first.upstream().requests()).hasSize(upstreamCalls);
            HttpResponse<String> buffered = Http.post(chat(second), account.key(), STREAM.replace("\"stream\":true", "\"stream\":false"));
            assertThat(buffered.statusCode()).as("buffered requests are not streams").isEqualTo(200);
        } finally {
            hold.countDown();
            for (Sse sse : open) {
                sse.rest();
                sse.close();
            }
        }
        // Both ended and released their slots: a stream is admitted again.
        HttpResponse<java.io.InputStream> again = Http.postStreaming(chat(second), account.key(), STREAM);
        assertThat(again.statusCode()).isEqualTo(200);
        try (Sse sse = new Sse(again.body())) {
            assertThat(sse.rest().getLast()).isEqualTo("data: [DONE]");
        }
    }

    @Test
    void aModelsDailyTokenQuotaRefusesTheAccountOnceUsedUp() {
        TestServer.Account account = first.openAccount("1.00");
        String body = "{\"model\":\"test/free-quota\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        // Each answer uses 11 + 3 = 14 tokens: the quota of 20 lets two through (the second crosses it), then refuses.
        assertThat(Http.post(chat(first), account.key(), body).statusCode()).isEqualTo(200);
        assertThat(Http.post(chat(first), account.key(), body).statusCode()).isEqualTo(200);
        int upstreamCalls = first.upstream().requests().size();

        HttpResponse<String> refused = Http.post(chat(first), account.key(), body);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(ApiCalls.json(refused).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(ApiCalls.json(refused).at("/error/param").asText()).isEqualTo("model");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, Duration.ofDays(1).toSeconds());
        assertThat(first.upstream().requests()).hasSize(upstreamCalls);
        TestServer.Account other = first.openAccount("1.00");
        assertThat(Http.post(chat(first), other.key(), body).statusCode()).as("per account").isEqualTo(200);
    }

    private static URI chat(TestServer server) {
        return server.apiBase().resolve("/v1/chat/completions");
    }
}
