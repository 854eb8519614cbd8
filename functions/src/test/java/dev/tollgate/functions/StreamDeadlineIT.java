package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.testkit.Behavior;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stream ends at its deadline even while the upstream sends nothing: the deadline counts from the request's
 * arrival ({@code max-duration}) and, on Lambda, from the invocation's deadline less the settle margin, as the Web
 * Adapter forwards it in {@code x-amzn-lambda-context}. It ends by the stream policy, settled.
 */
class StreamDeadlineIT {

    static final String REQUEST = "{\"model\":\"qwen3:latest\",\"stream\":true,\"max_tokens\":50,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static TestServer server;
    static URI chat;

    @BeforeAll
    static void start() {
        // max-duration 2 s counts from arrival: the upstream answers only after 1.2 s, then stays silent.
        server = TestServer.start(Map.of("tollgate.stream.max-duration", "2s", "tollgate.stream.settle-margin", "1s",
                "tollgate.stream.keep-alive", "100ms", "tollgate.hold-ttl", "20m"));
        chat = server.apiBase().resolve("/v1/chat/completions");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSilentStreamEndsAtMaxDurationCountedFromArrival() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try {
            TestServer.Account account = server.openAccount("1.00");
            server.upstream().enqueue(Behavior.defaults().noUsage().delayHeaders(Duration.ofMillis(1200))
                    .holdAfterPiece(0, never));
            long start = System.nanoTime();

            List<JsonNode> events = stream(account, Map.of());

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("ended by the timer, from arrival").isBetween(Duration.ofMillis(1900), Duration.ofMillis(4000));
            assertThat(events.getLast().at("/error/code").asText()).isEqualTo("gateway_error");
            assertThat(events.getLast().at("/error/message").asText()).contains("time limit");
            assertCharged(account, "max_duration");
        } finally {
            never.countDown();
        }
    }

    @Test
    void onLambdaAStreamEndsTheSettleMarginBeforeTheInvocationsDeadline() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try {
            TestServer.Account account = server.openAccount("1.00");
            server.upstream().enqueue(Behavior.defaults().noUsage().holdAfterPiece(0, never));
            // The function stops 1.5 s from now; with a 1 s settle margin the stream must end after about 0.5 s.
            long deadline = Instant.now().plusMillis(1500).toEpochMilli();
            long start = System.nanoTime();

            List<JsonNode> events = stream(account, Map.of("x-amzn-lambda-context",
                    "{\"request_id\":\"r-1\",\"deadline\":" + deadline + ",\"invoked_function_arn\":\"arn:aws:lambda:x\"}"));

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofMillis(1500));
            assertThat(events.getLast().at("/error/message").asText()).contains("time limit");
            assertCharged(account, "max_duration");
        } finally {
            never.countDown();
        }
    }

    @Test
    void aLambdaContextThatCannotBeReadChangesNothing() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        List<JsonNode> events = stream(account, Map.of("x-amzn-lambda-context", "{not json"));
        assertThat(events.getLast().at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertCharged(account, "ok");
    }

    private static List<JsonNode> stream(TestServer.Account account, Map<String, String> headers) {
        HttpResponse<java.io.InputStream> response = Http.postStreaming(chat, account.key(), REQUEST, headers);
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines;
        try (Sse sse = new Sse(response.body())) {
            lines = sse.rest();
        }
        assertThat(lines.getLast()).isEqualTo("data: [DONE]");
        // keep-alive comments come while the upstream is silent
        return lines.subList(0, lines.size() - 1).stream().filter(l -> l.startsWith("data:")).map(Sse::data).toList();
    }

    private static void assertCharged(TestServer.Account account, String status) {
        LedgerEntry entry = server.ledger(account.accountId()).stream().filter(e -> e.request() != null).findFirst()
                .orElseThrow();
        assertThat(entry.request().status()).isEqualTo(status);
        assertThat(entry.request().usage().completionTokens()).as("'Hello' was delivered").isGreaterThanOrEqualTo(1);
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }
}
