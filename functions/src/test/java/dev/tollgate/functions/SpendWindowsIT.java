package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plans and key spend windows through two application instances sharing one DynamoDB Local: exact under 10×N
 * concurrent requests, refused with 429 naming the window, and shown in the credit headers, at the start of a
 * stream and (after settlement) in its final chunk, in GET /v1/key and GET /v1/usage.
 */
class SpendWindowsIT {

    static final int N = 8;
    static final int MAX_TOKENS = 10;
    static final String MESSAGES = "[{\"role\":\"user\",\"content\":\"Tell me a story about a lighthouse\"}]";
    static TestServer first;
    static TestServer second;
    static Money hold;

    @BeforeAll
    static void start() throws Exception {
        int prompt = new TokenCounter().countPrompt("o200k_base", new ObjectMapper().readTree(MESSAGES), null);
        hold = CatalogLoader.loadWithOverlays(List.of()).find("qwen3:latest").orElseThrow().pricing().cost(prompt, MAX_TOKENS);
        Map<String, Object> properties = new HashMap<>();
        properties.put("tollgate.stream.max-open-per-account", 0);
        properties.put("tollgate.plans.race.windows.daily.limit-usd", Money.ofMicros(hold.micros() * N).toDollars());
        properties.put("tollgate.plans.pro.windows.session.limit-usd", "10.00");
        properties.put("tollgate.plans.pro.windows.weekly.limit-usd", "50.00");
        first = TestServer.start(properties);
        second = first.secondInstance(properties);
        first.upstream().setDefault(Behavior.of("a", "b").usage(prompt, MAX_TOKENS));
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    @Test
    void tenTimesNRequestsOnTwoInstancesAgainstAPlanWindowForNGetExactlyN() throws Exception {
        TestServer.Account account = first.openAccount("100.00");
        assertThat(assign(account.accountId(), "{\"plan\":\"race\"}").statusCode()).isEqualTo(200);

        List<HttpResponse<String>> responses = fireOnBoth(account.key(), body(false), 10 * N);

        assertExactlyN(responses, "daily");
        List<LedgerEntry> charges = first.ledger(account.accountId()).stream().filter(e -> e.request() != null).toList();
        assertThat(charges).hasSize(N).allSatisfy(e -> assertThat(e.amount()).isEqualTo(hold.negate()));
        JsonNode key = json(Http.get(second.apiBase().resolve("/v1/key"), account.key()));
        assertThat(key.at("/credits/daily/remaining_credits").asLong()).isZero();
        assertThat(key.at("/windows/0/used_credits").asLong()).isEqualTo(hold.micros() * N);
    }

    @Test
    void aKeyWindowIsExactAcrossInstancesToo() throws Exception {
        TestServer.Account account = first.openAccount("100.00");
        String key = createKey(account, "{\"name\":\"capped\",\"limits\":[{\"window\":\"weekly\",\"limit_usd\":\""
                + Money.ofMicros(hold.micros() * N).toDollars() + "\"}]}").get("key").asText();

        assertExactlyN(fireOnBoth(key, body(true), 10 * N), "weekly");
        assertThat(first.balance(account.accountId())).isEqualTo(Money.parseDollars("100.00").minus(Money.ofMicros(hold.micros() * N)));
        assertThat(first.ledgerSum(account.accountId())).isEqualTo(first.balance(account.accountId()));
    }

    @Test
    void inProcessEmbeddingsCountInTheWindowsExactlyAcrossInstancesAndCarryTheHeaders() throws Exception {
        TestServer.Account account = first.openAccount("1.00");
        // Each in-process embedding of this input costs 1 µ$ (EmbeddingsRaceIT).
        String key = createKey(account, "{\"name\":\"embedder\",\"limits\":[{\"window\":\"daily\",\"limit_usd\":\""
                + Money.ofMicros(N).toDollars() + "\"}]}").get("key").asText();
        String body = "{\"model\":\"all-minilm-l6-v2\",\"input\":\"a short sentence\"}";

        List<HttpResponse<String>> responses = fireOnBoth(key, "/v1/embeddings", body, 10 * N);

        assertExactlyN(responses, "daily");
        HttpResponse<String> ok = responses.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
        assertThat(ok.headers().firstValue("X-RateLimit-Daily-Limit-Credits")).hasValue(Long.toString(N));
        assertThat(ok.headers().firstValue("X-RateLimit-Daily-Reset")).isPresent();
        assertThat(first.ledger(account.accountId()).stream().filter(e -> e.request() != null && !e.amount().isZero()))
                .hasSize(N);
    }

    @Test
    void headersShowTheTightestWindowAndTheStreamsFinalChunkTheNumbersAfterSettlement() throws Exception {
        TestServer.Account account = first.openAccount("100.00");
        assign(account.accountId(), "{\"plan\":\"pro\"}");
        String key = createKey(account, "{\"name\":\"narrow\",\"limits\":[{\"window\":\"weekly\",\"limit_usd\":\"1.00\"}]}")
                .get("key").asText();

        HttpResponse<String> buffered = Http.post(chat(first), key, body(false));
        assertThat(buffered.statusCode()).as(buffered.body()).isEqualTo(200);
        assertThat(buffered.headers().firstValue("X-RateLimit-Weekly-Limit-Credits")).as("the key's is tighter").hasValue("1000000");
        assertThat(buffered.headers().firstValue("X-RateLimit-Weekly-Remaining-Credits")).hasValue(Long.toString(1_000_000 - hold.micros()));
        assertThat(buffered.headers().firstValue("X-RateLimit-Session-Limit-Credits")).hasValue("10000000");
        assertThat(buffered.headers().firstValue("X-RateLimit-Session-Remaining-Credits")).hasValue(Long.toString(10_000_000 - hold.micros()));
        String weekReset = buffered.headers().firstValue("X-RateLimit-Weekly-Reset").orElseThrow();
        assertThat(Instant.parse(weekReset).atZone(java.time.ZoneOffset.UTC).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);
        assertThat(buffered.headers().firstValue("X-RateLimit-Daily-Limit-Credits")).as("no daily window applies").isEmpty();
        assertThat(buffered.headers().firstValue("x-tollgate-balance-micros")).isPresent();
        assertThat(json(buffered).at("/tollgate/windows/weekly/remaining_credits").asLong()).isEqualTo(1_000_000 - hold.micros());

        // The stream costs less than its hold: the start shows the hold counted, the final chunk what is left after.
        first.upstream().setDefault(Behavior.of("a").usage(1, 1));
        try {
            HttpResponse<java.io.InputStream> stream = Http.postStreaming(chat(second), key, body(true));
            long atStart = Long.parseLong(stream.headers().firstValue("X-RateLimit-Weekly-Remaining-Credits").orElseThrow());
            assertThat(atStart).isEqualTo(1_000_000 - 2 * hold.micros());
            List<String> lines;
            try (Sse sse = new Sse(stream.body())) {
                lines = sse.rest();
            }
            JsonNode last = lines.stream().filter(l -> l.startsWith("data: {")).map(Sse::data)
                    .filter(c -> c.has("tollgate")).reduce((a, b) -> b).orElseThrow();
            long cost = Money.parseDollars(last.at("/tollgate/cost_usd").asText()).micros();
            assertThat(cost).isLessThan(hold.micros());
            assertThat(last.at("/tollgate/windows/weekly/remaining_credits").asLong()).isEqualTo(1_000_000 - hold.micros() - cost);
            assertThat(last.at("/tollgate/windows/weekly/reset").asText()).isEqualTo(weekReset);
            assertThat(last.at("/tollgate/windows/session/limit_credits").asLong()).isEqualTo(10_000_000);
        } finally {
            first.upstream().setDefault(Behavior.of("a", "b").usage(new TokenCounter().countPrompt("o200k_base",
                    new ObjectMapper().readTree(MESSAGES), null), MAX_TOKENS));
        }
        JsonNode usage = json(Http.get(first.apiBase().resolve("/v1/usage"), key));
        assertThat(usage.get("plan").asText()).isEqualTo("pro");
        assertThat(usage.at("/credits/weekly/limit_credits").asLong()).isEqualTo(1_000_000);
        JsonNode me = json(Http.get(second.apiBase().resolve("/v1/key"), key));
        assertThat(me.at("/credits/weekly/remaining_credits").asLong()).isEqualTo(usage.at("/credits/weekly/remaining_credits").asLong());
        assertThat(me.get("limits").toString()).isEqualTo("[{\"window\":\"weekly\",\"limit_usd\":\"1.000000\"}]");
        assertThat(me.get("role").asText()).isEqualTo("inference");
        assertThat(me.get("windows")).hasSize(3);
    }

    @Test
    void keyLimitsAreValidatedAndChangedWhole() {
        TestServer.Account account = first.openAccount("1.00");
        URI keys = first.apiBase().resolve("/v1/keys");
        for (String bad : List.of("[{\"window\":\"hourly\",\"limit_usd\":\"1\"}]", "[{\"window\":\"daily\",\"limit_usd\":\"-1\"}]",
                "[{\"window\":\"daily\",\"limit_usd\":\"0.0000001\"}]", "[{\"window\":\"daily\"}]", "{\"daily\":\"1\"}",
                "[{\"window\":\"daily\",\"limit_usd\":\"1\"},{\"window\":\"daily\",\"limit_usd\":\"2\"}]",
                "[{\"window\":\"daily\",\"limit_usd\":\"1\",\"extra\":1}]")) {
            HttpResponse<String> refused = Http.post(keys, account.key(), "{\"name\":\"x\",\"limits\":" + bad + "}");
            assertThat(refused.statusCode()).as(bad + " → " + refused.body()).isEqualTo(400);
            assertThat(json(refused).at("/error/param").asText()).isEqualTo("limits");
        }
        JsonNode created = createKey(account, "{\"name\":\"x\",\"limits\":[{\"window\":\"daily\",\"limit_usd\":1.5}]}");
        URI uri = first.apiBase().resolve("/v1/keys/" + created.get("id").asText());
        HttpResponse<String> patched = ApiCalls.patch(uri, account.key(),
                "{\"limits\":[{\"window\":\"monthly\",\"limit_usd\":\"20\"},{\"window\":\"session\",\"limit_usd\":\"2\"}]}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).get("limits").toString()).isEqualTo("[{\"window\":\"session\",\"limit_usd\":\"2.000000\"},"
                + "{\"window\":\"monthly\",\"limit_usd\":\"20.000000\"}]");
        assertThat(json(ApiCalls.patch(uri, account.key(), "{\"limits\":null}")).get("limits")).isEmpty();
    }

    @Test
    void thePlanIsAssignedByTheOperatorIdempotentlyAndOnlyIfItExists() {
        TestServer.Account account = first.openAccount("1.00");
        assertThat(assign(account.accountId(), "{\"plan\":\"pro\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> again = assign(account.accountId(), "{\"plan\":\"pro\"}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("plan").asText()).isEqualTo("pro");
        assertThat(json(again).get("windows")).hasSize(2);

        HttpResponse<String> unknown = assign(account.accountId(), "{\"plan\":\"platinum\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).at("/error/message").asText()).contains("platinum").contains("pro").contains("race");
        assertThat(assign(account.accountId(), "{\"plan\":7}").statusCode()).isEqualTo(400);
        assertThat(assign(account.accountId(), "{\"tier\":\"pro\"}").statusCode()).isEqualTo(400);
        assertThat(assign("acct_nobody", "{\"plan\":\"pro\"}").statusCode()).isEqualTo(404);
        assertThat(json(assign(account.accountId(), "{\"plan\":null}")).get("plan").isNull()).isTrue();
    }

    private static void assertExactlyN(List<HttpResponse<String>> responses, String window) {
        int ok = 0;
        for (HttpResponse<String> response : responses) {
            if (response.statusCode() == 200) {
                ok++;
                continue;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
            assertThat(json(response).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(json(response).at("/error/message").asText()).contains(window).contains("resets at");
            assertThat(response.headers().firstValue("x-tollgate-window")).hasValue(window);
            assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        }
        assertThat(ok).isEqualTo(N);
    }

    private static List<HttpResponse<String>> fireOnBoth(String key, String body, int count) throws Exception {
        return fireOnBoth(key, "/v1/chat/completions", body, count);
    }

    private static List<HttpResponse<String>> fireOnBoth(String key, String path, String body, int count) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                URI uri = (i % 2 == 0 ? first : second).baseUrl().resolve(path);
                futures.add(pool.submit(() -> {
                    go.await();
                    return Http.post(uri, key, body);
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

    private static HttpResponse<String> assign(String accountId, String body) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            first.baseUrl().resolve("/admin/accounts/" + accountId + "/plan"))
                    .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode createKey(TestServer.Account account, String body) {
        HttpResponse<String> created = Http.post(second.apiBase().resolve("/v1/keys"), account.key(), body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created);
    }

    private static URI chat(TestServer server) {
        return server.apiBase().resolve("/v1/chat/completions");
    }

    private static String body(boolean stream) {
        return "{\"model\":\"qwen3:latest\",\"max_tokens\":" + MAX_TOKENS + ",\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "") + ",\"messages\":" + MESSAGES + "}";
    }
}
