package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code "model": "auto"} end to end: the real server chooses by the catalog's rules, the chosen model's upstream
 * name goes upstream, the response and the ledger name the model that served, and {@code x-tollgate-route} says
 * why, buffered and streamed. Refusals (no model the key may use, none affordable, max_price) reach no upstream
 * and move no money.
 */
class AutoRoutingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static TestServer server;
    private static TestServer.Account account;
    private static URI chat;

    @BeforeAll
    static void start() {
        server = TestServer.start();
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
    }

    @AfterEach
    void noHoldLeftOpen() {
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void aPlainQuestionIsServedByTheCheapestGeneralModelAndChargedAtItsPrices() throws Exception {
        server.upstream().setDefault(Behavior.defaults().usage(1000, 500));
        Money before = server.balance(account.accountId());

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-route")).hasValue("auto: general -> gemma3:1b");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("model").asText()).isEqualTo("gemma3:1b");
        JsonNode sent = server.upstream().takeRequest(WAIT).json();
        assertThat(sent.get("model").asText()).isEqualTo("gemma3:1b");
        assertThat(sent.has("models")).isFalse();
        // gemma3:1b: 1000 × $0.05/M + 500 × $0.10/M = 50 + 50 µ$.
        assertThat(server.balance(account.accountId())).isEqualTo(before.minus(Money.ofMicros(100)));
        LedgerEntry charge = lastCharge(body.at("/tollgate/request_id").asText());
        assertThat(charge.request().model()).isEqualTo("gemma3:1b");
        assertThat(charge.amount()).isEqualTo(Money.ofMicros(-100));
        // The request log records why, as the header said.
        assertThat(charge.request().route()).isEqualTo("auto: general -> gemma3:1b");
        HttpResponse<String> logged = Http.get(server.apiBase().resolve("/v1/requests/"
                + body.at("/tollgate/request_id").asText()), account.key());
        assertThat(logged.statusCode()).as(logged.body()).isEqualTo(200);
        assertThat(JSON.readTree(logged.body()).get("route").asText()).isEqualTo("auto: general -> gemma3:1b");
    }

    @Test
    void anEmptyModelRoutesToo() throws Exception {
        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("model").asText()).isEqualTo("gemma3:1b");
        assertThat(response.headers().firstValue("x-tollgate-route")).hasValue("auto: general -> gemma3:1b");
    }

    @Test
    void aStreamedCodeRequestGoesToTheCoderAndSaysSoBeforeTheFirstChunk() throws Exception {
        HttpResponse<InputStream> response = Http.postStreaming(chat, account.key(), "{\"model\":\"auto\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Write a Python function that reverses a string.\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-route")).hasValue("auto: code -> qwen/qwen3-coder:free");
        List<String> lines;
        try (Sse sse = new Sse(response.body())) {
            lines = sse.rest();
        }
        assertThat(lines.getLast()).isEqualTo("data: [DONE]");
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertThat(Sse.data(line).get("model").asText()).isEqualTo("qwen/qwen3-coder:free");
        }
        assertThat(server.upstream().takeRequest(WAIT).json().get("model").asText()).isEqualTo("qwen3-coder:latest");
    }

    @Test
    void anImageGoesToTheVisionModel() throws Exception {
        HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"auto\",\"max_tokens\":10,\"messages\":"
                + "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-route")).hasValue("auto: vision -> qwen3-vl:235b-cloud");
        assertThat(server.upstream().takeRequest(WAIT).json().get("model").asText()).isEqualTo("qwen3-vl:235b-cloud");
    }

    @Test
    void aBalanceThatHoldsNoModelIsThe403OfAnyRequestNamingTheCheapestChoice() {
        TestServer.Account poor = server.openAccount("0.000100");

        HttpResponse<String> response = Http.post(chat, poor.key(),
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode error = ApiCalls.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("insufficient_quota");
        assertThat(error.get("message").asText())
                .startsWith("The cheapest model auto routing can choose for this request is gemma3:1b.")
                .contains("Insufficient balance: $0.000100 left");
        assertThat(server.upstream().requests()).isEmpty();
        assertThat(server.balance(poor.accountId())).isEqualTo(Money.parseDollars("0.0001"));
    }

    @Test
    void aLowerMaxTokensLetsTheSameBalanceReachTheSmallModel() {
        TestServer.Account poor = server.openAccount("0.000100");

        HttpResponse<String> response = Http.post(chat, poor.key(),
                "{\"model\":\"auto\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-route")).hasValue("auto: general -> gemma3:1b");
    }

    @Test
    void aKeyScopedAwayFromTheVisionModelGetsA403ForAnImage() {
        String scoped = ApiCalls.json(Http.post(server.apiBase().resolve("/v1/keys"), account.key(),
                "{\"name\":\"text only\",\"allowed_models\":[\"gemma3:1b\",\"qwen3:latest\"]}")).get("key").asText();

        HttpResponse<String> response = Http.post(chat, scoped, "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]}");

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode error = ApiCalls.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("model_not_allowed");
        assertThat(error.get("message").asText()).contains("qwen3-vl:235b-cloud");
        assertThat(server.upstream().requests()).isEmpty();
    }

    @Test
    void maxPriceNoModelMeetsIsA400SayingWhichLimitExcludedWhat() {
        Money before = server.balance(account.accountId());

        HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"auto\",\"max_price\":{\"prompt\":0.01},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = ApiCalls.json(response).get("error");
        assertThat(error.get("param").asText()).isEqualTo("max_price");
        assertThat(error.get("message").asText()).contains("gemma3:1b: prompt $0.05/M over max_price.prompt $0.01/M");
        assertThat(server.upstream().requests()).isEmpty();
        assertThat(server.balance(account.accountId())).isEqualTo(before);
    }

    @Test
    void theModelListShowsAutoWithWhatItMayChoose() throws Exception {
        JsonNode list = JSON.readTree(Http.get(server.apiBase().resolve("/v1/models"), account.key()).body());
        JsonNode auto = null;
        for (JsonNode model : list.get("data")) {
            if (model.get("id").asText().equals("auto")) {
                auto = model;
            }
        }
        assertThat(auto).as("auto is listed").isNotNull();
        assertThat(auto.at("/routing/may_choose").toString()).contains("gemma3:1b", "qwen/qwen3-coder:free",
                "qwen3-vl:235b-cloud", "qwen3:latest", "deepseek-v3.1:671b-cloud");
        assertThat(auto.at("/routing/rules/0/when").asText()).isEqualTo("image_parts");
        assertThat(auto.at("/routing/rules/4/when").asText()).isEqualTo("always");
        assertThat(auto.get("context_length").asInt()).isEqualTo(65536);
        assertThat(auto.at("/pricing/prompt").asText()).isEqualTo("-1");
        assertThat(auto.get("capabilities").toString()).contains("vision", "tools", "reasoning");

        HttpResponse<String> one = Http.get(server.apiBase().resolve("/v1/models/auto"), account.key());
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(one.body())).isEqualTo(auto);
    }

    private LedgerEntry lastCharge(String requestId) {
        return server.ledger(account.accountId()).stream()
                .filter(e -> e.type() == LedgerType.CHARGE && e.entryId().equals(requestId))
                .findFirst().orElseThrow(() -> new AssertionError("no charge for " + requestId));
    }
}
