package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every inbound format is billed by the chat path, so the same money rules hold on each, verified in the ledger:
 * the hard prepaid cap under a race (10×N concurrent requests against a balance that covers exactly N, buffered
 * and streamed), a client that goes away mid-stream (upstream cancelled, prompt and delivered tokens charged), and
 * an upstream cut mid-stream (charged what was delivered, the stream ends with the format's error event).
 */
class InboundBillingIT {

    static final int N = 8;
    static final int MAX_TOKENS = 10;
    static final String TEXT = "Tell me a story about a lighthouse";
    static TestServer server;
    static Money holdPerRequest;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("tollgate.stream.max-open-per-account", 0));
        int prompt = new TokenCounter().countPrompt("o200k_base",
                new ObjectMapper().readTree("[{\"role\":\"user\",\"content\":\"" + TEXT + "\"}]"), null);
        server.upstream().setDefault(Behavior.of("a", "b").usage(prompt, MAX_TOKENS));
        holdPerRequest = server.context().getBean(Catalog.class).find("qwen3:latest").orElseThrow()
                .pricing().cost(prompt, MAX_TOKENS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(InboundFormat.class)
    void bufferedRaceNeverOverspendsTheBalance(InboundFormat format) throws Exception {
        race(format, false);
    }

    @ParameterizedTest
    @EnumSource(InboundFormat.class)
    void streamedRaceNeverOverspendsTheBalance(InboundFormat format) throws Exception {
        race(format, true);
    }

    private void race(InboundFormat format, boolean stream) throws Exception {
        TestServer.Account account = server.openAccount(Money.ofMicros(holdPerRequest.micros() * N).toDollars());
        String body = format.body("qwen3:latest", MAX_TOKENS, stream, TEXT);
        int ok = 0;
        for (HttpResponse<String> response : Http.postAllAtOnce(server.baseUrl().resolve(format.path), account.key(),
                body, 10 * N)) {
            if (response.statusCode() == 200) {
                ok++;
                if (stream) {
                    assertThat(response.body()).contains(format.streamEnd);
                }
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
                assertThat(response.body()).contains(format.refusalWord).contains("balance");
            }
        }
        assertThat(ok).isEqualTo(N);
        assertThat(server.balance(account.accountId())).isEqualTo(Money.ZERO);
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(Money.ZERO);
        assertThat(server.ledger(account.accountId()).stream().filter(e -> e.request() != null)).hasSize(N)
                .allSatisfy(e -> assertThat(e.amount()).isEqualTo(holdPerRequest.negate()));
    }

    @ParameterizedTest
    @EnumSource(InboundFormat.class)
    void clientDisconnectChargesPromptAndDeliveredTokens(InboundFormat format) throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        CountDownLatch never = new CountDownLatch(1);
        server.upstream().enqueue(Behavior.defaults().noUsage().holdAfterPiece(0, never));
        HttpResponse<InputStream> response = Http.postStreaming(server.baseUrl().resolve(format.path), account.key(),
                format.body("qwen3:latest", 64, true, TEXT));
        assertThat(response.statusCode()).isEqualTo(200);
        try (Sse sse = new Sse(response.body())) {
            String line;
            while ((line = sse.nextLine()) != null && !format.isPiece(line)) {
                // until the first piece ("Hello") has arrived
            }
            assertThat(line).isNotNull();
        } // closing the body drops the connection
        try {
            assertThat(server.upstream().awaitClientDisconnect(Duration.ofSeconds(10))).isTrue();
            LedgerEntry charge = awaitCharge(account.accountId());
            assertThat(charge.request().status()).isEqualTo("client_disconnect");
            assertThat(charge.request().usage().completionTokens()).isEqualTo(1);
            assertThat(charge.request().usage().promptTokens()).isPositive();
            assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
        } finally {
            never.countDown();
        }
    }

    @ParameterizedTest
    @EnumSource(InboundFormat.class)
    void upstreamCutMidStreamChargesWhatWasDeliveredAndEndsWithAnError(InboundFormat format) throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().resetAfterPiece(1));
        HttpResponse<InputStream> response = Http.postStreaming(server.baseUrl().resolve(format.path), account.key(),
                format.body("qwen3:latest", 64, true, TEXT));
        List<String> lines;
        try (Sse sse = new Sse(response.body())) {
            lines = sse.rest();
        }
        assertThat(String.join("\n", lines)).contains(format.failure).doesNotContain(format.streamEnd);
        long delivered = format.pieces(lines);
        LedgerEntry charge = awaitCharge(account.accountId());
        assertThat(charge.request().status()).isEqualTo("upstream_error");
        assertThat(charge.request().usage().completionTokens()).isEqualTo(delivered);
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    private static LedgerEntry awaitCharge(String accountId) throws InterruptedException {
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
