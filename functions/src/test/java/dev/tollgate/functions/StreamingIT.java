package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.testkit.Behavior;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streamed chat completions: relayed chunk by chunk, keep-alives, mid-stream failures, all settled. */
class StreamingIT {

    static final String REQUEST = "{\"model\":\"qwen3:latest\",\"stream\":true,\"max_tokens\":100,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static TestServer server;
    static URI chat;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("tollgate.stream.keep-alive", "100ms"));
        chat = server.apiBase().resolve("/v1/chat/completions");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.upstream().reset();
    }

    @Test
    void relaysEveryChunkWithThePublicModelThenUsageWithCostThenDone() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        HttpResponse<java.io.InputStream> response = Http.postStreaming(chat, account.key(), REQUEST);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(response.headers().firstValue("x-tollgate-balance-usd")).isPresent();

        List<String> lines;
        try (Sse sse = new Sse(response.body())) {
            lines = sse.rest();
        }
        assertThat(lines.getLast()).isEqualTo("data: [DONE]");
        List<JsonNode> chunks = lines.subList(0, lines.size() - 1).stream().map(Sse::data).toList();
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
        assertThat(text.toString()).isEqualTo("Hello from fake");
        assertThat(chunks).allSatisfy(c -> assertThat(c.get("model").asText()).isEqualTo("qwen3:latest"));
        JsonNode last = chunks.getLast();
        // Not asked for include_usage: the usage rides on the finish chunk, so choices[0] always exists.
        assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks).allSatisfy(c -> assertThat(c.get("choices")).isNotEmpty());
        assertThat(last.at("/usage/prompt_tokens").asInt()).isEqualTo(11);
        assertThat(last.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(last.at("/usage/cost").asText()).isEqualTo("0.000004");
        assertThat(last.at("/tollgate/balance_usd").asText()).isEqualTo("0.999996");
        assertThat(server.upstream().takeRequest(Duration.ofSeconds(5)).json().at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(server.balance(account.accountId()).micros()).isEqualTo(999_996);
    }

    /**
     * A stream read to [DONE] hands its upstream connection back for the next one. The gateway releases it
     * just after the caller's [DONE], so the next request could in principle start before that: four
     * streams on at most two connections shows reuse without betting on that ordering (without reuse it is
     * four). The exact pooling rules are tested on the client itself (Http1ClientStreamIT).
     */
    @Test
    void completedStreamsReuseTheirUpstreamConnection() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        int before = server.upstream().connectionsAccepted();
        for (int i = 0; i < 4; i++) {
            HttpResponse<java.io.InputStream> response = Http.postStreaming(chat, account.key(), REQUEST);
            try (Sse sse = new Sse(response.body())) {
                assertThat(sse.rest().getLast()).isEqualTo("data: [DONE]");
            }
        }

        assertThat(server.upstream().connectionsAccepted() - before).isLessThanOrEqualTo(2);
        assertThat(server.upstream().clientDisconnects()).isZero();
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void sendsOpenAisSeparateUsageChunkWhenAskedFor() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        String request = REQUEST.replace("\"stream\":true", "\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        HttpResponse<java.io.InputStream> response = Http.postStreaming(chat, account.key(), request);
        List<String> lines;
        try (Sse sse = new Sse(response.body())) {
            lines = sse.rest();
        }
        JsonNode usageChunk = Sse.data(lines.get(lines.size() - 2));
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.at("/usage/total_tokens").asInt()).isEqualTo(14);
        assertThat(usageChunk.at("/usage/cost").asText()).isEqualTo("0.000004");
        JsonNode finish = Sse.data(lines.get(lines.size() - 3));
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(finish.path("usage").isObject()).as("usage only in its own chunk").isFalse();
    }

    @Test
    void firstChunkReachesTheClientBeforeTheUpstreamFinishes() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        CountDownLatch upstreamMayFinish = new CountDownLatch(1);
        server.upstream().enqueue(Behavior.defaults().holdAfterPiece(0, upstreamMayFinish));
        HttpResponse<java.io.InputStream> response = Http.postStreaming(chat, account.key(), REQUEST);
        try (Sse sse = new Sse(response.body())) {
            String first = sse.nextLine();
            assertThat(Sse.data(first).at("/choices/0/delta/content").asText()).isEqualTo("Hello");
            assertThat(upstreamMayFinish.getCount()).as("the upstream is still holding the rest").isEqualTo(1);
            upstreamMayFinish.countDown();
            assertThat(sse.rest()).last().isEqualTo("data: [DONE]");
        }
    }

    @Test
    void sendsKeepAliveCommentsWhileTheUpstreamIsSilent() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        CountDownLatch upstreamMayFinish = new CountDownLatch(1);
        server.upstream().enqueue(Behavior.defaults().holdAfterPiece(0, upstreamMayFinish));
        HttpResponse<java.io.InputStream> response = Http.postStreaming(chat, account.key(), REQUEST);
        try (Sse sse = new Sse(response.body())) {
            assertThat(sse.nextLine()).startsWith("data: ");
            assertThat(sse.nextLine()).isEqualTo(": keep-alive");
            upstreamMayFinish.countDown();
            assertThat(sse.rest()).last().isEqualTo("data: [DONE]");
        }
    }

    /**
     * The upstream sends two pieces and then drops the connection. The JDK client may lose bytes that
     * arrive together with the close, so the test asserts what matters: the stream ends with an error
     * and [DONE], and what is billed is exactly what the caller received (each piece is one token).
     */
    @Test
    void resetMidStreamEndsWithAnErrorEventAndDoneAndChargesWhatWasDelivered() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().resetAfterPiece(1));
        HttpResponse<java.io.InputStream> response = Http.postStreaming(chat, account.key(), REQUEST);
        List<String> lines;
        try (Sse sse = new Sse(response.body())) {
            lines = sse.rest();
        }
        assertThat(lines.getLast()).isEqualTo("data: [DONE]");
        JsonNode error = Sse.data(lines.get(lines.size() - 2));
        assertThat(error.at("/error/code").asText()).isEqualTo("gateway_error");
        long delivered = lines.stream().filter(l -> l.startsWith("data: {") && !l.contains("\"error\""))
                .map(Sse::data).filter(c -> !c.at("/choices/0/delta/content").asText("").isEmpty()).count();
        assertThat(delivered).isBetween(0L, 2L);
        var charge = server.ledger(account.accountId()).stream().filter(e -> e.request() != null).findFirst().orElseThrow();
        assertThat(charge.request().status()).isEqualTo("upstream_error");
        assertThat(charge.request().usage().completionTokens()).isEqualTo(delivered);
        assertThat(charge.amount().isNegative()).isEqualTo(delivered > 0);
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    /**
     * A data line that is not JSON used to be skipped and the stream carried on; now a malformed chunk ends the
     * stream by the stream policy: what was delivered is charged, an error event says why, then [DONE].
     */
    @Test
    void aMalformedUpstreamEventEndsTheStreamChargingWhatWasDelivered() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().noUsage().malformedSseAfterPiece(0));
        HttpResponse<java.io.InputStream> response = Http.postStreaming(chat, account.key(), REQUEST);
        List<String> lines;
        try (Sse sse = new Sse(response.body())) {
            lines = sse.rest();
        }
        assertThat(lines.getLast()).isEqualTo("data: [DONE]");
        List<JsonNode> events = lines.subList(0, lines.size() - 1).stream().map(Sse::data).toList();
        StringBuilder text = new StringBuilder();
        events.forEach(e -> text.append(e.at("/choices/0/delta/content").asText("")));
        assertThat(text.toString()).isEqualTo("Hello");
        assertThat(events.getLast().at("/error/code").asText()).isEqualTo("gateway_error");
        assertThat(events.getLast().at("/error/message").asText()).contains("not JSON");
        assertThat(events.get(events.size() - 2).at("/usage/completion_tokens").asInt()).isEqualTo(1);
        var charge = awaitCharge(account.accountId());
        assertThat(charge.request().status()).isEqualTo("upstream_error");
        assertThat(charge.request().usage().completionTokens()).isEqualTo(1); // "Hello"
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void upstreamErrorBeforeTheFirstByteIsAnHttpErrorAndFree() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.error(503, null), Behavior.error(503, null));
        HttpResponse<String> response = Http.post(chat, account.key(), REQUEST);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"code\":\"gateway_error\"");
        assertThat(server.balance(account.accountId()).micros()).isEqualTo(1_000_000);
    }

    @Test
    void clientDisconnectCancelsTheUpstreamAndChargesPromptAndDeliveredTokens() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        CountDownLatch never = new CountDownLatch(1);
        server.upstream().enqueue(Behavior.defaults().noUsage().holdAfterPiece(0, never));
        HttpResponse<java.io.InputStream> response = Http.postStreaming(chat, account.key(), REQUEST);
        try (Sse sse = new Sse(response.body())) {
            assertThat(sse.nextLine()).startsWith("data: ");
        } // closing the body drops the connection
        try {
            assertThat(server.upstream().awaitClientDisconnect(Duration.ofSeconds(10)))
                    .as("Tollgate closed its upstream connection").isTrue();
            var charge = awaitCharge(account.accountId());
            assertThat(charge.request().status()).isEqualTo("client_disconnect");
            assertThat(charge.request().usage().completionTokens()).isEqualTo(1); // "Hello"
            assertThat(charge.request().usage().promptTokens()).isPositive();
            assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
        } finally {
            never.countDown();
        }
    }

    /**
     * The relay starts before Micronaut has set up the response. A caller that left while the upstream was still
     * thinking is noticed at the first write: the upstream is stopped and the stream settles as a disconnect.
     */
    @Test
    void aCallerThatLeftBeforeTheUpstreamAnsweredStopsTheUpstreamOnceTollgateWrites() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        CountDownLatch headers = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        server.upstream().enqueue(Behavior.defaults().noUsage().holdBeforeHeaders(headers).holdAfterPiece(0, never));
        try {
            try (Socket socket = new Socket(chat.getHost(), chat.getPort())) {
                byte[] body = REQUEST.getBytes(StandardCharsets.UTF_8);
                socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + account.key() + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().write(body);
                assertThat(server.upstream().takeRequest(Duration.ofSeconds(10))).isNotNull();
            } // the caller leaves while Tollgate waits for the upstream's answer
            headers.countDown();
            assertThat(server.upstream().awaitClientDisconnect(Duration.ofSeconds(10)))
                    .as("Tollgate closed its upstream connection").isTrue();
            var charge = awaitCharge(account.accountId());
            assertThat(charge.request().status()).isEqualTo("client_disconnect");
            assertThat(charge.request().usage().completionTokens()).isEqualTo(1); // "Hello", produced before the stop
            assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
        } finally {
            never.countDown();
        }
    }

    private static dev.tollgate.ledger.LedgerEntry awaitCharge(String accountId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var charge = server.ledger(accountId).stream().filter(e -> e.request() != null).findFirst();
            if (charge.isPresent()) {
                return charge.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no charge settled within 10 s");
    }
}
