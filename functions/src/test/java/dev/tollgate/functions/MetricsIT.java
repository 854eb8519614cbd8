package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.HoldReconciler;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.PrometheusText;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.testkit.Behavior;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} against the real server: requests of every kind are made, then the meters are read back as
 * Prometheus text and each counter must have moved by exactly what those requests did (the fake upstream reports 11
 * prompt and 3 completion tokens unless told otherwise). Names as in docs/METRICS.md.
 */
class MetricsIT {

    static final String PAID = "qwen3:latest";
    static final String FREE = "qwen/qwen3-coder:free";
    static final String MESSAGES = "[{\"role\":\"user\",\"content\":\"hello\"}]";

    static TestServer server;
    static URI chat;
    static ModelPricing qwen;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        chat = server.apiBase().resolve("/v1/chat/completions");
        qwen = server.context().getBean(Catalog.class).find(PAID).orElseThrow().pricing();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.upstream().reset();
    }

    private static PrometheusText scrape() {
        HttpResponse<String> response = Http.get(server.baseUrl().resolve("/metrics"), TestServer.ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        return new PrometheusText(response.body());
    }

    private static HttpResponse<String> chat(String key, String model, boolean stream) {
        return Http.post(chat, key, "{\"model\":\"" + model + "\",\"max_tokens\":20,\"stream\":" + stream
                + ",\"messages\":" + MESSAGES + "}");
    }

    private static double requests(PrometheusText m, String model, String status) {
        return m.value("tollgate_requests_total", "endpoint", "chat", "model", model, "status", status);
    }

    @Test
    void paidAndFreeRequestsBufferedAndStreamedCountRequestsTokensAndMicroDollars() {
        TestServer.Account account = server.openAccount("1.00");
        PrometheusText before = scrape();

        assertThat(chat(account.key(), PAID, false).statusCode()).isEqualTo(200);
        HttpResponse<String> streamed = chat(account.key(), PAID, true);
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).contains("[DONE]");
        assertThat(chat(account.key(), FREE, false).statusCode()).isEqualTo(200);
        assertThat(chat(account.key(), FREE, true).statusCode()).isEqualTo(200);

        PrometheusText after = scrape();
        assertThat(requests(after, PAID, "ok") - requests(before, PAID, "ok")).isEqualTo(2);
        assertThat(requests(after, FREE, "ok") - requests(before, FREE, "ok")).isEqualTo(2);
        for (String model : new String[] {PAID, FREE}) {
            assertThat(delta(before, after, "tollgate_tokens_total", "direction", "in", "model", model)).isEqualTo(22);
            assertThat(delta(before, after, "tollgate_tokens_total", "direction", "out", "model", model)).isEqualTo(6);
        }
        long twoPaid = qwen.cost(11, 3).micros() * 2;
        assertThat(delta(before, after, "tollgate_charged_microusd_total", "model", PAID)).isEqualTo(twoPaid);
        assertThat(delta(before, after, "tollgate_charged_microusd_total", "model", FREE)).isZero();
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00").minus(Money.ofMicros(twoPaid)));
        // Two streams had their head timed; all four answers their whole duration, as successes.
        assertThat(delta(before, after, "tollgate_upstream_first_byte_seconds_count", "upstream", "ollama")).isEqualTo(2);
        assertThat(delta(before, after, "tollgate_upstream_duration_seconds_count", "outcome", "ok", "upstream", "ollama"))
                .isEqualTo(4);
        // The first request read the key; the three after it found it in this instance's cache.
        assertThat(delta(before, after, "tollgate_cache_requests_total", "cache", "key", "result", "miss")).isEqualTo(1);
        assertThat(delta(before, after, "tollgate_cache_requests_total", "cache", "key", "result", "hit")).isEqualTo(3);
        // Free requests read their account's balance through the account cache: once, then from the cache.
        assertThat(delta(before, after, "tollgate_cache_requests_total", "cache", "account", "result", "miss")).isEqualTo(1);
        assertThat(delta(before, after, "tollgate_cache_requests_total", "cache", "account", "result", "hit"))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.value("tollgate_holds_open")).isEqualTo(before.value("tollgate_holds_open"));
    }

    @Test
    void anUpstreamErrorCountsItsAttemptsItsRetryAndTheRequest() {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.error(500, null), Behavior.error(500, null));
        PrometheusText before = scrape();

        assertThat(chat(account.key(), PAID, true).statusCode()).isEqualTo(502);

        PrometheusText after = scrape();
        assertThat(requests(after, PAID, "upstream_error") - requests(before, PAID, "upstream_error")).isEqualTo(1);
        assertThat(delta(before, after, "tollgate_upstream_errors_total", "kind", "status_5xx", "upstream", "ollama"))
                .isEqualTo(2);
        assertThat(delta(before, after, "tollgate_upstream_retries_total", "upstream", "ollama")).isEqualTo(1);
        assertThat(delta(before, after, "tollgate_upstream_duration_seconds_count", "outcome", "error", "upstream", "ollama"))
                .isEqualTo(1);
        assertThat(delta(before, after, "tollgate_charged_microusd_total", "model", PAID)).isZero();
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00"));
    }

    @Test
    void requestsRefusedBeforeAdmissionCountWithoutAModel() {
        TestServer.Account account = server.openAccount("1.00");
        PrometheusText before = scrape();

        assertThat(chat("sk-not-a-real-key", PAID, false).statusCode()).isEqualTo(401);
        assertThat(Http.post(chat, account.key(), "{not json").statusCode()).isEqualTo(400);
        assertThat(chat(account.key(), "no-such-model-" + System.nanoTime(), false).statusCode()).isEqualTo(404);

        PrometheusText after = scrape();
        assertThat(requests(after, "none", "refused") - requests(before, "none", "refused")).isEqualTo(1);
        assertThat(requests(after, "none", "client_error") - requests(before, "none", "client_error")).isEqualTo(2);
    }

    @Test
    void costBeyondTheHoldIsShortfallAndWhatTheBalanceCannotPayIsDebt() {
        TestServer.Account account = server.openAccount("0.001");
        server.upstream().enqueue(Behavior.defaults().usage(30_000, 3));
        PrometheusText before = scrape();

        assertThat(chat(account.key(), PAID, false).statusCode()).isEqualTo(200);

        PrometheusText after = scrape();
        long cost = qwen.cost(30_000, 3).micros();
        long debt = cost - Money.parseDollars("0.001").micros();
        assertThat(delta(before, after, "tollgate_debt_microusd_total")).isEqualTo(debt);
        assertThat(delta(before, after, "tollgate_shortfall_microusd_total")).isBetween((double) debt, (double) cost);
        assertThat(delta(before, after, "tollgate_charged_microusd_total", "model", PAID)).isEqualTo(cost - debt);
    }

    @Test
    void aStreamInFlightIsAnOpenHoldUntilItSettles() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        CountDownLatch release = new CountDownLatch(1);
        server.upstream().enqueue(Behavior.defaults().holdAfterPiece(1, release));
        double open = scrape().value("tollgate_holds_open");

        CompletableFuture<HttpResponse<String>> stream = CompletableFuture.supplyAsync(() -> chat(account.key(), PAID, true));
        try {
            PrometheusText during = poll(m -> m.value("tollgate_holds_open") >= open + 1);
            assertThat(during.value("tollgate_holds_oldest_age_seconds")).isGreaterThanOrEqualTo(0);
        } finally {
            release.countDown();
        }
        assertThat(stream.get().statusCode()).isEqualTo(200);
        poll(m -> m.value("tollgate_holds_open") == open);
    }

    @Test
    void reconcilerRunsAreCounted() {
        PrometheusText before = scrape();
        int released = server.context().getBean(HoldReconciler.class).releaseExpired();
        PrometheusText after = scrape();
        assertThat(delta(before, after, "tollgate_reconciler_runs_total")).isEqualTo(1);
        assertThat(delta(before, after, "tollgate_reconciler_released_total")).isEqualTo(released);
    }

    @Test
    void metricsNeedTheAdminToken() {
        URI metrics = server.baseUrl().resolve("/metrics");
        assertThat(Http.get(metrics, null).statusCode()).isEqualTo(401);
        assertThat(Http.get(metrics, "wrong-token").statusCode()).isEqualTo(401);
        TestServer.Account account = server.openAccount("1.00");
        assertThat(Http.get(metrics, account.key()).statusCode()).as("an API key is not the admin token").isEqualTo(401);
        PrometheusText text = scrape();
        assertThat(text.has("jvm_memory_used_bytes")).as("the JVM's own meters are there too").isTrue();
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    /** Scrapes until {@code condition} holds, for at most 10 s. */
    private static PrometheusText poll(Predicate<PrometheusText> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            PrometheusText text = scrape();
            if (condition.test(text)) {
                return text;
            }
            assertThat(Instant.now()).as("waited 10 s for the metrics").isBefore(deadline);
            Thread.sleep(20);
        }
    }
}
