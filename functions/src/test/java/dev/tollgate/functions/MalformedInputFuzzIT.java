package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.MalformedInputs.Case;
import dev.tollgate.functions.MalformedInputs.Endpoint;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.money.Money;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded malformed requests to every JSON endpoint and to the usage query: each answer must be a 4xx in the OpenAI
 * error envelope, never a 5xx or a dropped connection, and afterwards the account's balance, ledger, keys and usage
 * are as they were. Bounded by count and time; {@code -Dfuzz.seed=N -Dfuzz.requests=N} replay or widen a run.
 */
class MalformedInputFuzzIT {

    private static final long SEED = Long.getLong("fuzz.seed", 20261206L);
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 1500);
    private static final Duration TIME_BOUND = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static TestServer server;
    private static TestServer.Account account;
    private static String patchedKeyId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.openAccount("10.00");
        HttpResponse<String> key = Http.post(server.apiBase().resolve("/v1/keys"), account.key(), "{\"name\":\"patched\"}");
        assertThat(key.statusCode()).isEqualTo(201);
        patchedKeyId = ApiCalls.json(key).get("id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyMalformedRequestIsA4xxInTheErrorEnvelopeAndChangesNothing() throws Exception {
        Snapshot before = snapshot();
        List<Endpoint> endpoints = endpoints();
        MalformedInputs inputs = new MalformedInputs(SEED);
        Random queries = new Random(SEED);
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger namingAField = new AtomicInteger();
        long stopAt = System.nanoTime() + TIME_BOUND.toNanos();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                HttpRequest request;
                String description;
                if (i % 10 == 9) {
                    request = usageQuery(queries);
                    description = "#" + i + " GET " + request.uri();
                } else {
                    Case c = inputs.next(i, endpoints);
                    request = request(c);
                    description = c.describe();
                }
                running.add(pool.submit(() -> {
                    if (System.nanoTime() < stopAt) {
                        sent.incrementAndGet();
                        check(request, description, failures, namingAField);
                    }
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        }
        assertThat(failures).as("seed " + SEED + ", " + sent.get() + " requests sent").isEmpty();
        assertThat(sent.get()).as("the time bound left too few requests to mean anything").isGreaterThan(300);
        assertThat(namingAField.get()).as("field validation, not only the JSON parser, was reached")
                .isGreaterThan(sent.get() / 10);
        Snapshot after = snapshot();
        assertThat(after).isEqualTo(before);
        assertThat(server.upstream().requests()).as("nothing reached an upstream").isEmpty();
    }

    private static void check(HttpRequest request, String description, Queue<String> failures, AtomicInteger naming) {
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            failures.add(description + " -> no answer: " + e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String problem = envelopeProblem(response);
        if (problem != null) {
            failures.add(description + " -> " + response.statusCode() + " " + problem + ": " + response.body());
        } else if (response.body().contains("\"param\":\"")) {
            naming.incrementAndGet();
        }
    }

    /** Null when the response is a 4xx carrying {"error":{"message","type","code","param"}}. */
    static String envelopeProblem(HttpResponse<String> response) {
        if (response.statusCode() < 400 || response.statusCode() > 499) {
            return "not a 4xx";
        }
        JsonNode error;
        try {
            error = ApiCalls.JSON.readTree(response.body()).path("error");
        } catch (IOException e) {
            return "body is not JSON";
        }
        boolean ok = error.path("message").isTextual() && !error.path("message").asText().isBlank()
                && error.path("type").isTextual() && error.path("code").isTextual() && error.has("param")
                && (error.get("param").isNull() || error.get("param").isTextual());
        return ok ? null : "not the OpenAI error envelope";
    }

    private static HttpRequest request(Case c) {
        Endpoint endpoint = c.endpoint();
        String path = endpoint.path().replace("{key}", patchedKeyId).replace("{account}", account.accountId());
        String token = endpoint.path().startsWith("/admin") ? TestServer.ADMIN_TOKEN : account.key();
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.baseUrl().resolve(path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(endpoint.method(), HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.gzipHeader()) {
            builder.header("Content-Encoding", c.number() % 2 == 0 ? "gzip" : "deflate");
        }
        return builder.build();
    }

    /** GET /v1/usage with a start or end no one could mean: unparseable, reversed, or a period too long. */
    private static HttpRequest usageQuery(Random random) {
        String[] bad = {"x", "2026-13-01", "2026-02-30", "20260101", "2026-1-1", "0", "-1", "%00", "2026-01-01T00:00",
                "\u202E2026-01-01", "9".repeat(500), "+1000000000-01-01", "2026-01-01%00", "null", "[]",
                "-999999999-01-01", "+999999999-12-31", "0000-01-01"};
        String value = bad[random.nextInt(bad.length)];
        String query = switch (random.nextInt(5)) {
            case 0 -> "start=" + encode(value);
            case 4 -> "end=" + encode(value);
            case 1 -> "end=" + encode(value) + "&start=2026-01-01";
            case 2 -> "start=2026-03-01&end=2026-02-01";
            default -> "start=1970-01-01&end=2026-01-01";
        };
        return HttpRequest.newBuilder(server.baseUrl().resolve("/v1/usage?" + query)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + account.key()).GET().build();
    }

    private static String encode(String value) {
        return value.contains("%") ? value : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** What a malformed request must not change. */
    private record Snapshot(Money balance, List<LedgerEntry> ledger, String keys, JsonNode usageTotals) {
    }

    private static Snapshot snapshot() {
        HttpResponse<String> keys = Http.get(server.apiBase().resolve("/v1/keys"), account.key());
        HttpResponse<String> usage = Http.get(server.apiBase().resolve("/v1/usage"), account.key());
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(usage.statusCode()).isEqualTo(200);
        return new Snapshot(server.balance(account.accountId()), server.ledger(account.accountId()), keys.body(),
                ApiCalls.json(usage).get("totals"));
    }

    static List<Endpoint> endpoints() {
        String r = MalformedInputs.REMOVE;
        List<String> badDollars = List.of("\"abc\"", "\"-\"", "\"1e999999999\"", "1e999999999", "true", "{}", "[]",
                "\"1.0000001\"", "\"99999999999999\"", "\"\"", "\"5,00\"", "\" 5.00x\"");
        return List.of(
                new Endpoint("chat", "POST", "/v1/chat/completions",
                        "{\"model\":\"gemma3:1b\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        Map.of("model", List.of(r, "42", "\" \"", "null", "[\"gemma3:1b\"]", "\"no-such-model\""),
                                "messages", List.of(r, "\"hi\"", "[]", "[1]", "[{\"content\":\"x\"}]", "{\"role\":\"user\"}",
                                        "[{\"role\":7}]"),
                                "max_tokens", List.of("-1", "0", "1.5", "\"8\"", "1e400", "99999999999999999999"),
                                "stream", List.of("\"yes\"", "1"), "stream_options", List.of("\"on\"", "[true]"),
                                "models", List.of("[]", "\"gemma3:1b\"", "[1]", "[\"auto\"]", "[\"no-such-model\"]",
                                        "[\"all-minilm-l6-v2\"]", "{}"),
                                "max_price", List.of("1", "[]", "{}", "{\"prompt\":-1}", "{\"prompt\":\"x\"}",
                                        "{\"completion\":1e999999999}", "{\"request\":1}", "{\"prompt\":0.0000001}",
                                        "{\"completion\":0.01}"),
                                "max_cost_usd", badCeilings(badDollars), "tollgate", BAD_AFFORD)),
                new Endpoint("chat, streamed", "POST", "/v1/chat/completions", "{\"model\":\"gemma3:1b\",\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        Map.of("model", List.of(r, "\"no-such-model\""), "messages", List.of(r, "[]", "[null]"),
                                "max_completion_tokens", List.of("-5", "true"), "stream_options", List.of("1"))),
                new Endpoint("embeddings", "POST", "/v1/embeddings", "{\"model\":\"all-minilm-l6-v2\",\"input\":\"hello\"}",
                        Map.of("model", List.of(r, "7", "\"\"", "\"no-such-model\""),
                                "input", List.of(r, "{}", "[]", "[[]]", "42", "[1,\"a\"]", "null", "\"\"", "[\"a\",[1]]",
                                        "[[-1]]", "[[1.5]]"),
                                "encoding_format", List.of("\"hex\"", "1"), "dimensions", List.of("-1", "\"8\"", "0", "2.5"),
                                "max_cost_usd", badCeilings(badDollars), "tollgate", BAD_AFFORD)),
                new Endpoint("keys create", "POST", "/v1/keys",
                        "{\"name\":\"fuzz\",\"role\":\"inference\",\"budget_usd\":\"5.00\",\"rpm_limit\":60}", keyBreakers(r, badDollars, true)),
                new Endpoint("keys patch", "PATCH", "/v1/keys/{key}", "{\"name\":\"renamed\",\"rpm_limit\":120}",
                        keyBreakers(r, badDollars, false)),
                new Endpoint("checkout", "POST", "/v1/billing/checkout", "{\"amount_usd\":\"10.00\"}",
                        Map.of("amount_usd", join(badDollars, List.of(r, "null", "\"-10.00\"")))),
                new Endpoint("auto top-up", "PATCH", "/v1/billing/auto-topup",
                        "{\"threshold_usd\":\"5.00\",\"amount_usd\":\"20.00\",\"daily_cap_usd\":\"50.00\"}",
                        Map.of("threshold_usd", join(badDollars, List.of("\"-1.00\"", "\"5.001\"")),
                                "amount_usd", join(badDollars, List.of("\"1.00\"", "\"100000.00\"")),
                                "daily_cap_usd", join(badDollars, List.of("\"10.00\"", "\"-5\"")),
                                "enabled", List.of("\"yes\"", "1", "true"))),
                new Endpoint("alert settings", "PATCH", "/v1/alerts/settings",
                        "{\"url\":\"https://example.com/hook\",\"low_balance_usd\":\"2.00\"}",
                        Map.of("url", List.of("5", "[]", "\"http://example.com/x\"", "\"ftp://example.com\"", "\"not a url\"",
                                        "\"https://u:p@example.com/\""),
                                "low_balance_usd", join(badDollars, List.of("\"-1.00\"", "\"-0.000001\"")),
                                "rotate_secret", List.of("\"yes\"", "1"))),
                new Endpoint("admin accounts", "POST", "/admin/accounts", "{\"name\":\"Fuzz\",\"credit_usd\":\"5.00\"}",
                        Map.of("name", List.of(r, "3", "\"\"", "\"a\\u0000b\"", "\"\\u202Eevil\"", "\"\\u2066x\"", "\"\\ud800\"",
                                        "\"" + "n".repeat(201) + "\""),
                                "credit_usd", join(badDollars, List.of(r, "\"-1.00\"", "\"100000.01\"")))),
                new Endpoint("admin credits", "POST", "/admin/accounts/{account}/credits",
                        "{\"amount_usd\":\"2.50\",\"reference\":\"fuzz-1\",\"note\":\"n\"}",
                        Map.of("amount_usd", join(badDollars, List.of(r, "null")), "reference", List.of(r, "5", "\"\"", "null"),
                                "note", List.of("5", "[]", "{}"))));
    }

    /** Tollgate's afford mode: anything but an object with "afford": "clamp" or "refuse". */
    private static final List<String> BAD_AFFORD = List.of("1", "\"clamp\"", "[]", "{\"afford\":\"yes\"}",
            "{\"afford\":1}", "{\"afford\":\"clamp\",\"x\":1}");

    /** Cost ceilings no request may run under: malformed, not positive, or below any paid request's worst case. */
    private static List<String> badCeilings(List<String> badDollars) {
        return join(badDollars, List.of("0", "\"0\"", "-1", "\"-0.01\"", "0.0000001", "1e-7", "0.000000"));
    }

    private static Map<String, List<String>> keyBreakers(String remove, List<String> badDollars, boolean create) {
        return Map.of("name", create ? List.of(remove, "5", "\"\"", "\"x\\u0000y\"", "\"\\u202Eevil\"", "\"a\\u200Fb\"",
                        "\"\\udc00\"", "\"" + "k".repeat(101) + "\"") : List.of("5", "\"\"", "\"x\\u0001\"", "\"\\u061C\""),
                "role", create ? List.of("\"root\"", "1") : List.of("\"inference\"", "\"management\""),
                "budget_usd", join(badDollars, List.of("\"-1.00\"", "\"1000000.01\"")),
                "rpm_limit", List.of("0", "1.5", "\"60\"", "1000001", "-3"), "expires_at", List.of("\"tomorrow\"", "12"),
                "allowed_models", List.of("\"all\"", "[1]", "[\"\"]"), "budget", List.of("5"));
    }

    private static List<String> join(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
