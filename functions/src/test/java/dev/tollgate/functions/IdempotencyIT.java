package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} end to end: a real server, DynamoDB Local and the fake upstream, whose request count is the
 * proof of how often a request ran, and the ledger the proof of how often it was charged. Two instances share the
 * tables, as Lambda instances do.
 */
class IdempotencyIT {

    static final String BODY = "{\"model\":\"qwen3:latest\",\"max_tokens\":20,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Name a lighthouse\"}]}";
    static final String STREAM_BODY = "{\"model\":\"qwen3:latest\",\"max_tokens\":20,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Name a lighthouse\"}]}";
    static TestServer first;
    static TestServer second;

    @BeforeAll
    static void start() {
        first = TestServer.start();
        second = first.secondInstance(Map.of());
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    @BeforeEach
    void reset() {
        first.upstream().reset();
        first.upstream().setDefault(Behavior.of("Fastnet", " Rock").usage(12, 3));
    }

    @Test
    void twentyConcurrentRetriesRunOnceChargeOnceAndAllGetTheSameAnswerOr409() throws Exception {
        TestServer.Account account = first.openAccount("5.00");
        Map<String, String> key = key();
        List<HttpResponse<String>> responses = all(20, i -> Http.post(chat(i % 2 == 0 ? first : second), account.key(),
                BODY, key));

        assertThat(first.upstream().requests()).as("one upstream call").hasSize(1);
        assertThat(charges(account)).as("one charge in the ledger").hasSize(1);
        List<String> answers = new ArrayList<>();
        for (HttpResponse<String> response : responses) {
            if (response.statusCode() == 409) {
                assertThat(json(response).at("/error/code").asText()).isEqualTo("idempotency_key_in_use");
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                answers.add(response.body());
            }
        }
        assertThat(answers).isNotEmpty();
        HttpResponse<String> retry = Http.post(chat(second), account.key(), BODY, key);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("idempotent-replayed")).hasValue("true");
        assertThat(answers).allSatisfy(answer -> assertThat(answer).isEqualTo(retry.body()));
        assertThat(first.upstream().requests()).hasSize(1);
        assertThat(charges(account)).hasSize(1);
        Money charged = charges(account).get(0).amount().negate();
        assertThat(first.balance(account.accountId())).isEqualTo(Money.parseDollars("5.00").minus(charged));
    }

    @Test
    void aReplayIsByteIdenticalWithTheOriginalHeadersAndTheReplayedFlag() {
        TestServer.Account account = first.openAccount("5.00");
        Map<String, String> key = key();
        HttpResponse<String> original = Http.post(chat(first), account.key(), BODY, key);
        HttpResponse<String> replay = Http.post(chat(first), account.key(), BODY, key);
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(original.headers().firstValue("idempotent-replayed")).isEmpty();
        assertThat(replay.body()).isEqualTo(original.body());
        for (String header : List.of("x-request-id", "x-tollgate-cost-usd", "x-tollgate-balance-micros", "content-type")) {
            assertThat(replay.headers().firstValue(header)).as(header).isEqualTo(original.headers().firstValue(header));
        }
        assertThat(replay.headers().firstValue("idempotent-replayed")).hasValue("true");
    }

    @Test
    void theSameKeyWithAnotherBodyOrEndpointIs422() {
        TestServer.Account account = first.openAccount("5.00");
        Map<String, String> key = key();
        assertThat(Http.post(chat(first), account.key(), BODY, key).statusCode()).isEqualTo(200);
        HttpResponse<String> other = Http.post(chat(first), account.key(), BODY.replace("lighthouse", "harbour"), key);
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(json(other).at("/error/code").asText()).isEqualTo("idempotency_key_reused");
        assertThat(json(other).at("/error/param").asText()).isEqualTo("Idempotency-Key");
        HttpResponse<String> completions = Http.post(first.apiBase().resolve("/v1/completions"), account.key(),
                "{\"model\":\"qwen3:latest\",\"max_tokens\":20,\"prompt\":\"Name a lighthouse\"}", key);
        assertThat(completions.statusCode()).isEqualTo(422);
        assertThat(first.upstream().requests()).hasSize(1);
    }

    @Test
    void twoAccountsUsingTheSameKeyAreIndependent() {
        TestServer.Account one = first.openAccount("5.00");
        TestServer.Account two = first.openAccount("5.00");
        Map<String, String> key = key();
        assertThat(Http.post(chat(first), one.key(), BODY, key).statusCode()).isEqualTo(200);
        HttpResponse<String> other = Http.post(chat(second), two.key(), BODY.replace("lighthouse", "harbour"), key);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("idempotent-replayed")).isEmpty();
        assertThat(first.upstream().requests()).hasSize(2);
        assertThat(charges(one)).hasSize(1);
        assertThat(charges(two)).hasSize(1);
    }

    @Test
    void aMalformedKeyIs400AndChangesNothing() {
        TestServer.Account account = first.openAccount("5.00");
        for (String bad : List.of("x".repeat(256), "tab\tinside")) {
            HttpResponse<String> refused = Http.post(chat(first), account.key(), BODY, Map.of("Idempotency-Key", bad));
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(refused).at("/error/param").asText()).isEqualTo("Idempotency-Key");
        }
        assertThat(first.upstream().requests()).isEmpty();
        assertThat(charges(account)).isEmpty();
        HttpResponse<String> longest = Http.post(chat(first), account.key(), BODY, Map.of("Idempotency-Key", "y".repeat(255)));
        assertThat(longest.statusCode()).isEqualTo(200);
    }

    @Test
    void aRefusalOrAnUpstreamFailureThatChargedNothingLetsTheRetryRunAgain() {
        TestServer.Account account = first.openAccount("5.00");
        Map<String, String> key = key();
        first.upstream().enqueue(Behavior.error(500, null), Behavior.error(500, null)); // one retry, then 502
        HttpResponse<String> failed = Http.post(chat(first), account.key(), BODY, key);
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(502);
        int calls = first.upstream().requests().size();
        HttpResponse<String> retried = Http.post(chat(first), account.key(), BODY, key);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(retried.headers().firstValue("idempotent-replayed")).isEmpty();
        assertThat(first.upstream().requests()).hasSize(calls + 1);
        assertThat(charges(account)).hasSize(1);

        TestServer.Account broke = first.openAccount("0.00");
        Map<String, String> other = key();
        assertThat(Http.post(chat(first), broke.key(), BODY, other).statusCode()).isEqualTo(403);
        HttpResponse<String> again = Http.post(chat(first), broke.key(), BODY, other);
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.headers().firstValue("idempotent-replayed")).as("run again, not replayed").isEmpty();
    }

    @Test
    void retriesOfARunningStreamGet409AndOnceItEndsItIsReplayedWhole() throws Exception {
        TestServer.Account account = first.openAccount("5.00");
        Map<String, String> key = key();
        CountDownLatch release = new CountDownLatch(1);
        first.upstream().enqueue(Behavior.of("Fastnet", " Rock", " lighthouse").usage(12, 3).holdAfterPiece(1, release));
        HttpResponse<InputStream> stream = Http.postStreaming(chat(first), account.key(), STREAM_BODY, key);
        assertThat(stream.statusCode()).isEqualTo(200);
        StringBuilder delivered = new StringBuilder();
        try (Sse sse = new Sse(stream.body())) {
            delivered.append(sse.nextLine()).append('\n');
            List<HttpResponse<String>> retries = all(5, i -> Http.post(chat(i % 2 == 0 ? first : second), account.key(),
                    STREAM_BODY, key));
            assertThat(retries).allSatisfy(retry -> {
                assertThat(retry.statusCode()).isEqualTo(409);
                assertThat(json(retry).at("/error/code").asText()).isEqualTo("idempotency_key_in_use");
                assertThat(retry.headers().firstValue("Retry-After")).isPresent();
            });
            release.countDown();
            sse.rest().forEach(line -> delivered.append(line).append('\n'));
        }
        assertThat(delivered.toString()).contains("[DONE]");
        HttpResponse<String> replay = Http.post(chat(second), account.key(), STREAM_BODY, key);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(replay.headers().firstValue("idempotent-replayed")).hasValue("true");
        assertThat(replay.body()).contains("Fastnet").contains("lighthouse").contains("[DONE]");
        assertThat(first.upstream().requests()).hasSize(1);
        assertThat(charges(account)).hasSize(1);
    }

    @Test
    void anthropicMessagesAnswersIdempotencyErrorsInAnthropicsEnvelope() {
        TestServer.Account account = first.openAccount("5.00");
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString(), "anthropic-version", "2023-06-01");
        URI messages = first.apiBase().resolve("/v1/messages");
        String body = "{\"model\":\"qwen3:latest\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        HttpResponse<String> original = Http.post(messages, account.key(), body, key);
        assertThat(original.statusCode()).as(original.body()).isEqualTo(200);
        HttpResponse<String> replay = Http.post(messages, account.key(), body, key);
        assertThat(replay.body()).isEqualTo(original.body());
        assertThat(replay.headers().firstValue("idempotent-replayed")).hasValue("true");
        HttpResponse<String> reused = Http.post(messages, account.key(), body.replace("Hi", "Hello"), key);
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(json(reused).get("type").asText()).isEqualTo("error");
        assertThat(json(reused).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(json(reused).at("/error/message").asText()).contains("Idempotency-Key");
        HttpResponse<String> bad = Http.post(messages, account.key(), body, Map.of("Idempotency-Key", "z".repeat(300)));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("type").asText()).isEqualTo("error");
    }

    @Test
    void requestsWithoutAKeyAreUntouched() {
        TestServer.Account account = first.openAccount("5.00");
        HttpResponse<String> one = Http.post(chat(first), account.key(), BODY);
        HttpResponse<String> two = Http.post(chat(first), account.key(), BODY);
        assertThat(one.headers().firstValue("idempotent-replayed")).isEmpty();
        assertThat(two.headers().firstValue("idempotent-replayed")).isEmpty();
        assertThat(first.upstream().requests()).hasSize(2);
        assertThat(charges(account)).hasSize(2);
    }

    @Test
    void aQuoteWithTheKeyDoesNotClaimItEvenAsABareDryRunParameter() throws Exception {
        TestServer.Account account = first.openAccount("5.00");
        Map<String, String> key = key();

        for (String quote : List.of("?dry_run", "?dry_run=true")) {
            HttpResponse<String> quoted = Http.post(first.apiBase().resolve("/v1/chat/completions" + quote),
                    account.key(), BODY, key);
            assertThat(quoted.statusCode()).as(quoted.body()).isEqualTo(200);
            assertThat(json(quoted).has("worst_case_cost_micros")).as("a quote: " + quoted.body()).isTrue();
        }
        HttpResponse<String> real = Http.post(chat(first), account.key(), BODY, key);

        assertThat(real.statusCode()).as("the key was still free: " + real.body()).isEqualTo(200);
        assertThat(first.upstream().requests()).hasSize(1);
        assertThat(charges(account)).hasSize(1);
    }

    private static Map<String, String> key() {
        return Map.of("Idempotency-Key", UUID.randomUUID().toString());
    }

    private static URI chat(TestServer server) {
        return server.apiBase().resolve("/v1/chat/completions");
    }

    /** The entries that took money (a request that failed before its first byte is settled at zero). */
    private static List<LedgerEntry> charges(TestServer.Account account) {
        return first.ledger(account.accountId()).stream()
                .filter(e -> e.type() == LedgerType.CHARGE && !e.amount().isZero()).toList();
    }

    interface Call {
        HttpResponse<String> send(int index) throws Exception;
    }

    /** {@code count} calls released together, in submission order. */
    private static List<HttpResponse<String>> all(int count, Call call) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.send(index);
                }));
            }
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get());
            }
            return responses;
        }
    }
}
