package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.testkit.Behavior;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rpm_limit} and {@code tpm_limit} hold across instances: two application instances on one DynamoDB Local,
 * each with its own in-process limiter, together admit exactly the key's limit per minute, free requests (one
 * conditional write) and paid ones (inside the reserve transaction) alike. The counters are per UTC minute, so
 * each race starts early in a minute.
 */
class RateLimitAcrossInstancesIT {

    static final int N = 6;
    static final int MAX_TOKENS = 10;
    static final String MESSAGES = "[{\"role\":\"user\",\"content\":\"Tell me a story about a lighthouse\"}]";
    static TestServer first;
    static TestServer second;
    static int prompt;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Object> properties = Map.of("tollgate.stream.max-open-per-account", 0);
        first = TestServer.start(properties);
        second = first.secondInstance(properties);
        prompt = new TokenCounter().countPrompt("o200k_base", new ObjectMapper().readTree(MESSAGES), null);
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    @BeforeEach
    void usageAsHeld() {
        first.upstream().setDefault(Behavior.of("a", "b").usage(prompt, MAX_TOKENS));
    }

    @Test
    void freeRequestsOfAKeyWithAnRpmLimitGetExactlyTheLimitAcrossTwoInstances() throws Exception {
        assertExactly(N, fire(rpmKey(), "qwen/qwen3-coder:free", 10 * N), "requests per minute");
    }

    @Test
    void paidRequestsOfAKeyWithAnRpmLimitGetExactlyTheLimitAcrossTwoInstances() throws Exception {
        assertExactly(N, fire(rpmKey(), "qwen3:latest", 10 * N), "requests per minute");
    }

    @Test
    void paidRequestsOfAKeyWithATpmLimitGetExactlyWhatFitsAcrossTwoInstances() throws Exception {
        int held = prompt + MAX_TOKENS;
        String key = key("{\"name\":\"tpm\",\"tpm_limit\":" + (3 * held) + "}");
        assertExactly(3, fire(key, "qwen3:latest", 20), "tokens per minute");
    }

    @Test
    void aFreeRequestGivesBackTheTokensItHeldButDidNotUse() {
        int held = prompt + MAX_TOKENS;
        // Two whole holds do not fit; the second fits only once the first gave back its unused 9 tokens.
        String key = key("{\"name\":\"tpm-free\",\"tpm_limit\":" + (2 * held - 5) + "}");
        first.upstream().setDefault(Behavior.of("a").usage(prompt, 1));
        startEarlyInAMinute();
        HttpResponse<String> one = Http.post(chat(first), key, body("qwen/qwen3-coder:free"));
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        HttpResponse<String> two = Http.post(chat(second), key, body("qwen/qwen3-coder:free"));
        assertThat(two.statusCode()).as(two.body()).isEqualTo(200);
        HttpResponse<String> three = Http.post(chat(first), key, body("qwen/qwen3-coder:free"));
        assertThat(three.statusCode()).isEqualTo(429);
        assertThat(json(three).at("/error/message").asText()).contains("tokens per minute").contains("tpm_limit");
        assertThat(three.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void tpmLimitIsValidatedAndShown() {
        TestServer.Account account = first.openAccount("1.00");
        URI keys = first.apiBase().resolve("/v1/keys");
        for (String bad : List.of("0", "-5", "1.5", "\"100\"", "2000000000")) {
            HttpResponse<String> refused = Http.post(keys, account.key(), "{\"name\":\"x\",\"tpm_limit\":" + bad + "}");
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(refused).at("/error/param").asText()).isEqualTo("tpm_limit");
        }
        HttpResponse<String> created = Http.post(keys, account.key(), "{\"name\":\"x\",\"tpm_limit\":5000}");
        assertThat(json(created).get("tpm_limit").asInt()).isEqualTo(5000);
    }

    private static void assertExactly(int expected, List<HttpResponse<String>> responses, String limitWords) {
        int ok = 0;
        for (HttpResponse<String> response : responses) {
            if (response.statusCode() == 200) {
                ok++;
                continue;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
            assertThat(json(response).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(json(response).at("/error/message").asText()).contains(limitWords);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        }
        assertThat(ok).isEqualTo(expected);
    }

    private static String rpmKey() {
        return key("{\"name\":\"rpm\",\"rpm_limit\":" + N + "}");
    }

    private static String key(String body) {
        TestServer.Account account = first.openAccount("100.00");
        HttpResponse<String> created = Http.post(first.apiBase().resolve("/v1/keys"), account.key(), body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("key").asText();
    }

    private static List<HttpResponse<String>> fire(String key, String model, int count) throws Exception {
        startEarlyInAMinute();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                URI uri = chat(i % 2 == 0 ? first : second);
                futures.add(pool.submit(() -> {
                    go.await();
                    return Http.post(uri, key, body(model));
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

    /** The counters are per UTC minute: a race that straddled a minute would count in two. */
    private static void startEarlyInAMinute() {
        while (Instant.now().atZone(ZoneOffset.UTC).getSecond() > 40) {
            Thread.onSpinWait();
        }
    }

    private static URI chat(TestServer server) {
        return server.apiBase().resolve("/v1/chat/completions");
    }

    private static String body(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + MAX_TOKENS + ",\"messages\":" + MESSAGES + "}";
    }
}
