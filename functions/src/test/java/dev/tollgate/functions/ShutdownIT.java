package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.billing.Hold;
import dev.tollgate.billing.HoldReconciler;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.ServerProcess;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.store.dynamo.DynamoBalanceStore;
import dev.tollgate.testkit.Behavior;
import dev.tollgate.testkit.FakeOpenAiUpstream;
import dev.tollgate.testkit.LocalDynamo;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real server process stopped while streams are in flight. SIGTERM (a deploy, Ctrl-C): every client gets its
 * usage, an error event saying the server is restarting, and {@code [DONE]}, never a silent cut, and each stream is
 * charged exactly what it delivered with no hold left open. SIGKILL: nothing runs, but what was relayed was recorded
 * on the holds, and one reconciler run charges it instead of releasing the holds for free.
 */
class ShutdownIT {

    static final String MESSAGES = "[{\"role\":\"user\",\"content\":\"Tell me a long story\"}]";
    static final String STREAM = "{\"model\":\"qwen3:latest\",\"stream\":true,\"max_tokens\":50,\"messages\":" + MESSAGES + "}";
    static LocalDynamo dynamo;
    static FakeOpenAiUpstream upstream;
    static ModelPricing qwen;
    static int prompt;

    @BeforeAll
    static void start() throws Exception {
        dynamo = LocalDynamo.start();
        upstream = FakeOpenAiUpstream.start();
        qwen = CatalogLoader.loadDefault().find("qwen3:latest").orElseThrow().pricing();
        prompt = new TokenCounter().countPrompt("o200k_base", new ObjectMapper().readTree(MESSAGES), null);
    }

    @AfterAll
    static void stop() {
        upstream.close();
        dynamo.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    @Test
    void sigtermEndsOpenStreamsByTheStreamPolicyAndSettlesEachExactly() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (ServerProcess server = ServerProcess.start(dynamo, upstream, Map.of("TOLLGATE_STREAM_SHUTDOWN_GRACE", "1s"))) {
            String key = server.demoKey();
            List<Open> streams = openStreams(server, key, 5, never);

            server.terminate(Duration.ofSeconds(40));

            for (Open open : streams) {
                List<String> lines = open.sse().rest();
                assertThat(lines).as(server.log()).isNotEmpty();
                assertThat(lines.getLast()).isEqualTo("data: [DONE]");
                List<JsonNode> events = lines.subList(0, lines.size() - 1).stream().map(Sse::data).toList();
                JsonNode error = events.getLast().get("error");
                assertThat(error).as("an error event before [DONE]").isNotNull();
                assertThat(error.get("code").asText()).isEqualTo("service_unavailable");
                assertThat(error.get("message").asText()).contains("restarting");
                assertThat(events.get(events.size() - 2).at("/usage/completion_tokens").asInt()).isEqualTo(2);
                open.sse().close();
            }
            assertSettled(ServerProcess.accountOf(dynamo, key), streams, "shutdown");
            // Logged during the JVM's shutdown, after the streams ended: the batched log output still writes it.
            assertThat(server.log()).contains("5 ended early and settled, 0 still open");
        } finally {
            never.countDown();
        }
    }

    @Test
    void afterKillNineTheReconcilerChargesWhatWasRelayedAndReleasesTheRest() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (ServerProcess server = ServerProcess.start(dynamo, upstream, Map.of("TOLLGATE_STREAM_PROGRESS_EVERY", "100ms"))) {
            String key = server.demoKey();
            String account = ServerProcess.accountOf(dynamo, key);
            List<Open> streams = openStreams(server, key, 3, never);
            DynamoBalanceStore balances = ServerProcess.balances(dynamo);
            awaitProgress(balances, account, streams.size());

            server.kill();
            streams.forEach(open -> open.sse().close());

            // One reconciler run, as the scheduled function would make once the holds expire.
            Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
            assertThat(new HoldReconciler(balances, later, 100).releaseExpired()).isGreaterThanOrEqualTo(streams.size());
            assertSettled(account, streams, "reconciled:in_progress");
        } finally {
            never.countDown();
        }
    }

    private record Open(String requestId, Sse sse) {
    }

    /** Opens {@code count} streams that each deliver two pieces ("Hello", " from") and then wait for ever. */
    private static List<Open> openStreams(ServerProcess server, String key, int count, CountDownLatch never) {
        for (int i = 0; i < count; i++) {
            upstream.enqueue(Behavior.defaults().noUsage().holdAfterPiece(1, never));
        }
        List<Open> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<java.io.InputStream> response = Http.postStreaming(server.chat(), key, STREAM);
            assertThat(response.statusCode()).isEqualTo(200);
            Sse sse = new Sse(response.body());
            assertThat(Sse.data(sse.nextLine()).at("/choices/0/delta/content").asText()).isEqualTo("Hello");
            assertThat(Sse.data(sse.nextLine()).at("/choices/0/delta/content").asText()).isEqualTo(" from");
            streams.add(new Open(response.headers().firstValue("x-request-id").orElseThrow(), sse));
        }
        return streams;
    }

    private static void awaitProgress(DynamoBalanceStore balances, String account, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<Hold> open = balances.expiredHolds(Instant.now().plus(Duration.ofDays(1)), 1_000).stream()
                    .filter(h -> h.accountId().equals(account)).toList();
            long recorded = open.stream().filter(h -> balances.recordedCharge(h)
                    .filter(c -> c.usage().completionTokens() == 2).isPresent()).count();
            if (open.size() == count && recorded == count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the streams' progress was not recorded on their holds within 20 s");
    }

    /** Each stream charged prompt + the two pieces it delivered, no hold open, ledger equal to the balance. */
    private static void assertSettled(String account, List<Open> streams, String status) {
        DynamoBalanceStore balances = ServerProcess.balances(dynamo);
        Money each = qwen.cost(prompt, 2);
        for (Open open : streams) {
            LedgerEntry entry = balances.ledger(account).stream().filter(e -> e.entryId().equals(open.requestId()))
                    .findFirst().orElseThrow(() -> new AssertionError("no ledger entry for " + open.requestId()));
            assertThat(entry.request().status()).isEqualTo(status);
            assertThat(entry.request().usage().completionTokens()).isEqualTo(2);
            assertThat(entry.amount()).isEqualTo(each.negate());
        }
        assertThat(balances.expiredHolds(Instant.now().plus(Duration.ofDays(1)), 1_000))
                .noneMatch(h -> h.accountId().equals(account));
        Money balance = balances.balance(account).orElseThrow();
        assertThat(balance).isEqualTo(Money.parseDollars("5.00").minus(Money.ofMicros(each.micros() * streams.size())));
        Money ledger = balances.ledger(account).stream().map(LedgerEntry::amount).reduce(Money.ZERO, Money::plus);
        assertThat(ledger).isEqualTo(balance);
    }
}
