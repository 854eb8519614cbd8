package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code "models": [...]}: tried in order when an upstream fails before the first byte (nothing listening, a 5xx),
 * never after it; one hold, sized for the dearest model listed; one settlement, at the prices of the model that
 * served. {@code test/dead} ($1/$2 per million) is served by an address where nothing listens; gemma3:1b
 * ($0.05/$0.10) by the fake upstream, as is everything else.
 */
class FallbacksIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String HELLO = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]";
    private static TestServer server;
    private static TestServer.Account account;
    private static URI chat;

    @BeforeAll
    static void start() throws Exception {
        Path overlay = Path.of(FallbacksIT.class.getResource("/catalog/test-overlay.json").toURI());
        server = TestServer.start(Map.of(
                "tollgate.catalog-files", List.of(overlay.toString()),
                "tollgate.upstreams.dead.base-url", "http://127.0.0.1:9/v1",
                "tollgate.upstreams.dead.retry-backoff", "0ms",
                // One attempt per model, so that one queued 503 is one failed model.
                "tollgate.upstreams.ollama.max-retries", "0"));
        account = server.openAccount("5.00");
        chat = server.apiBase().resolve("/v1/chat/completions");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.upstream().reset();
        server.upstream().setDefault(Behavior.defaults().usage(1000, 500));
    }

    @AfterEach
    void everyRequestSettledOnce() {
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void aDeadFirstUpstreamFallsBackAndTheLedgerChargesTheModelThatServed() throws Exception {
        Money before = server.balance(account.accountId());

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/dead\",\"models\":[\"gemma3:1b\"]," + HELLO + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-route"))
                .hasValue("fallback: test/dead failed (unreachable) -> gemma3:1b");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("model").asText()).isEqualTo("gemma3:1b");
        // At gemma3:1b's prices (1000 × 0.05 + 500 × 0.10 = 100 µ$), not test/dead's (1000 × 1 + 500 × 2 = 2,000 µ$).
        assertThat(body.at("/usage/cost").asText()).isEqualTo("0.000100");
        LedgerEntry charge = charge(body.at("/tollgate/request_id").asText());
        assertThat(charge.request().model()).isEqualTo("gemma3:1b");
        assertThat(charge.amount()).isEqualTo(Money.ofMicros(-100));
        assertThat(server.balance(account.accountId())).isEqualTo(before.minus(Money.ofMicros(100)));
        JsonNode sent = server.upstream().takeRequest(WAIT).json();
        assertThat(sent.get("model").asText()).isEqualTo("gemma3:1b");
        assertThat(sent.has("models")).as("models is Tollgate's, not the upstream's").isFalse();
    }

    @Test
    void aStreamFallsBackBeforeItsFirstByteAndSaysSoInItsHeaders() throws Exception {
        HttpResponse<InputStream> response = Http.postStreaming(chat, account.key(),
                "{\"models\":[\"test/dead\",\"gemma3:1b\"],\"stream\":true," + HELLO + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-route"))
                .hasValue("fallback: test/dead failed (unreachable) -> gemma3:1b");
        List<String> lines;
        try (Sse sse = new Sse(response.body())) {
            lines = sse.rest();
        }
        assertThat(lines.getLast()).isEqualTo("data: [DONE]");
        assertThat(Sse.data(lines.getFirst()).get("model").asText()).isEqualTo("gemma3:1b");
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();
        assertThat(charge(requestId).request().model()).isEqualTo("gemma3:1b");
        assertThat(charge(requestId).amount()).isEqualTo(Money.ofMicros(-100));
    }

    @Test
    void anUpstream503FallsBackToTheNextModelAndTheHeaderNamesTheStatus() throws Exception {
        server.upstream().enqueue(Behavior.error(503, null));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"qwen3:latest\",\"models\":[\"gemma3:1b\"]," + HELLO + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-route")).hasValue("fallback: qwen3:latest failed (503) -> gemma3:1b");
        assertThat(server.upstream().requests()).extracting(r -> r.json().get("model").asText())
                .containsExactly("qwen3:latest", "gemma3:1b");
        assertThat(charge(JSON.readTree(response.body()).at("/tollgate/request_id").asText()).request().model())
                .isEqualTo("gemma3:1b");
    }

    @Test
    void aStreamThatFailsAfterItsFirstByteDoesNotFallBack() {
        server.upstream().enqueue(Behavior.defaults().usage(1000, 500).resetAfterPiece(0));

        HttpResponse<InputStream> response = Http.postStreaming(chat, account.key(),
                "{\"model\":\"qwen3:latest\",\"models\":[\"gemma3:1b\"],\"stream\":true," + HELLO + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-route")).as("the named model served").isEmpty();
        List<String> lines;
        try (Sse sse = new Sse(response.body())) {
            lines = sse.rest();
        }
        assertThat(Sse.data(lines.getFirst()).at("/choices/0/delta/content").asText()).isEqualTo("Hello");
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"error\""));
        assertThat(lines.getLast()).isEqualTo("data: [DONE]");
        assertThat(server.upstream().requests()).as("no second model after the first byte").hasSize(1);
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();
        assertThat(charge(requestId).request().model()).as("what was delivered is charged at its model's prices")
                .isEqualTo("qwen3:latest");
    }

    @Test
    void theHoldForAModelsListCoversTheDearestModel() throws Exception {
        // gemma3:1b is first, deepseek the dearest: the hold is deepseek's, whichever serves.
        TokenCounter tokens = new TokenCounter();
        int prompt = tokens.countPrompt("o200k_base", JSON.readTree("[{\"role\":\"user\",\"content\":\"Hello\"}]"), null);
        Money deepseekHold = CatalogLoader.loadDefault().find("deepseek-v3.1:671b-cloud").orElseThrow()
                .pricing().cost(prompt, 100);
        Money gemmaHold = CatalogLoader.loadDefault().find("gemma3:1b").orElseThrow().pricing().cost(prompt, 100);
        assertThat(deepseekHold).isGreaterThan(gemmaHold);
        CountDownLatch release = new CountDownLatch(1);
        server.upstream().enqueue(Behavior.defaults().holdAfterPiece(0, release));
        Money before = server.balance(account.accountId());

        HttpResponse<InputStream> response = Http.postStreaming(chat, account.key(), "{\"model\":\"gemma3:1b\","
                + "\"models\":[\"deepseek-v3.1:671b-cloud\"],\"stream\":true,\"max_tokens\":100," + HELLO + "}");
        try (Sse sse = new Sse(response.body())) {
            assertThat(sse.nextLine()).contains("Hello");
            assertThat(server.balance(account.accountId())).as("held while the stream runs")
                    .isEqualTo(before.minus(deepseekHold));
            release.countDown();
            sse.rest();
        } finally {
            release.countDown();
        }
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();
        assertThat(charge(requestId).request().model()).isEqualTo("gemma3:1b");
    }

    @Test
    void aBalanceForTheFirstModelButNotTheDearestIsRefusedWithTheDearestHold() throws Exception {
        TokenCounter tokens = new TokenCounter();
        int prompt = tokens.countPrompt("o200k_base", JSON.readTree("[{\"role\":\"user\",\"content\":\"Hello\"}]"), null);
        Money deepseekHold = CatalogLoader.loadDefault().find("deepseek-v3.1:671b-cloud").orElseThrow()
                .pricing().cost(prompt, 100);
        TestServer.Account small = server.openAccount("0.000050");

        HttpResponse<String> response = Http.post(chat, small.key(), "{\"model\":\"gemma3:1b\","
                + "\"models\":[\"deepseek-v3.1:671b-cloud\"],\"max_tokens\":100," + HELLO + "}");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(ApiCalls.json(response).at("/error/message").asText())
                .contains("may cost up to " + deepseekHold.display());
        assertThat(server.upstream().requests()).isEmpty();
        assertThat(Http.post(chat, small.key(), "{\"model\":\"gemma3:1b\",\"max_tokens\":100," + HELLO + "}").statusCode())
                .as("gemma3:1b alone fits the same balance").isEqualTo(200);
    }

    @Test
    void everyListedModelMustBeKnownAndAllowed() {
        HttpResponse<String> unknown = Http.post(chat, account.key(),
                "{\"model\":\"gemma3:1b\",\"models\":[\"no-such-model\"]," + HELLO + "}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ApiCalls.json(unknown).at("/error/message").asText()).contains("no-such-model");

        String scoped = ApiCalls.json(Http.post(server.apiBase().resolve("/v1/keys"), account.key(),
                "{\"name\":\"gemma only\",\"allowed_models\":[\"gemma3:1b\"]}")).get("key").asText();
        HttpResponse<String> notAllowed = Http.post(chat, scoped,
                "{\"model\":\"gemma3:1b\",\"models\":[\"qwen3:latest\"]," + HELLO + "}");
        assertThat(notAllowed.statusCode()).isEqualTo(403);
        assertThat(ApiCalls.json(notAllowed).at("/error/code").asText()).isEqualTo("model_not_allowed");
        assertThat(ApiCalls.json(notAllowed).at("/error/message").asText()).contains("'qwen3:latest'");
        assertThat(server.upstream().requests()).isEmpty();
    }

    @Test
    void maxPriceLeavesOutDearerFallbacksAndRefusesWhenNothingIsLeft() throws Exception {
        HttpResponse<String> kept = Http.post(chat, account.key(), "{\"model\":\"qwen3:latest\",\"models\":[\"gemma3:1b\"],"
                + "\"max_price\":{\"completion\":\"0.10\"}," + HELLO + "}");
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        assertThat(JSON.readTree(kept.body()).get("model").asText()).isEqualTo("gemma3:1b");
        assertThat(server.upstream().requests()).extracting(r -> r.json().get("model").asText()).containsExactly("gemma3:1b");
        assertThat(server.upstream().requests().getFirst().json().has("max_price")).isFalse();

        HttpResponse<String> none = Http.post(chat, account.key(), "{\"model\":\"qwen3:latest\","
                + "\"max_price\":{\"prompt\":0.1,\"completion\":5}," + HELLO + "}");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(ApiCalls.json(none).at("/error/param").asText()).isEqualTo("max_price");
        assertThat(ApiCalls.json(none).at("/error/message").asText())
                .contains("qwen3:latest: prompt $0.20/M over max_price.prompt $0.10/M");
    }

    private LedgerEntry charge(String requestId) {
        return server.ledger(account.accountId()).stream()
                .filter(e -> e.type() == LedgerType.CHARGE && e.entryId().equals(requestId))
                .findFirst().orElseThrow(() -> new AssertionError("no charge for " + requestId));
    }
}
