package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /v1/statement on the real server: operator credits and debits with their references, money held for a request
 * in progress shown beside the closing balance, a past period, free requests in the log but not in the statement,
 * management keys only, and 400s for bad parameters. (The race with Stripe money: LedgerRaceIT.)
 */
class StatementIT {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void operatorChangesAreLinesWithTheirReferencesAndTheCsvDefusesFormulas() {
        TestServer.Account account = server.openAccount("5.00");
        credit(account, "2.50", "inv-7", "=HYPERLINK(\"http://x\")");
        credit(account, "-1.25", "chargeback-3", "manual debit");

        JsonNode s = statement(account, "start=2000-01-01");

        assertThat(s.get("data")).extracting(l -> l.get("kind").asText()).containsExactly("admin_credit", "admin_credit", "admin_debit");
        assertThat(s.get("data")).extracting(l -> l.get("balance_usd").asText()).containsExactly("5.000000", "7.500000", "6.250000");
        assertThat(s.get("data").get(1).get("reference").asText()).isEqualTo("inv-7");
        assertThat(s.get("data").get(2).get("amount_usd").asText()).isEqualTo("-1.250000");
        assertThat(s.get("closing_balance_micros").asLong()).isEqualTo(server.balance(account.accountId()).micros());
        String csv = Http.get(api("/v1/statement?start=2000-01-01&format=csv"), account.key()).body();
        assertThat(csv).contains(",\"'=HYPERLINK(\"\"http://x\"\")\",2.500000,7.500000,").contains(",-1.250000,6.250000,");
    }

    @Test
    void moneyHeldForARequestInProgressIsBesideTheClosingBalanceUntilItSettles() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        CountDownLatch release = new CountDownLatch(1);
        server.upstream().enqueue(Behavior.of("a", "b", "c").holdAfterPiece(1, release));
        HttpResponse<InputStream> stream = Http.postStreaming(api("/v1/chat/completions"), account.key(),
                "{\"model\":\"qwen3:latest\",\"stream\":true,\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        try (InputStream body = stream.body()) {
            JsonNode during = statement(account, null);
            long held = during.at("/now/held_micros").asLong();
            assertThat(held).as("the stream's hold").isPositive();
            assertThat(during.get("closing_balance_micros").asLong()).as("the ledger's balance counts the held money")
                    .isEqualTo(1_000_000L).isEqualTo(during.at("/now/balance_micros").asLong() + held);
            assertThat(during.get("data")).extracting(l -> l.get("kind").asText()).containsExactly("admin_credit");

            release.countDown();
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).contains("[DONE]");
        }
        String id = stream.headers().firstValue("x-request-id").orElseThrow();
        JsonNode after = awaitStatementWith(account, id);
        assertThat(after.at("/now/held_micros").asLong()).isZero();
        assertThat(after.get("closing_balance_micros").asLong()).isEqualTo(server.balance(account.accountId()).micros())
                .isLessThan(1_000_000L);
    }

    @Test
    void aPastPeriodEndsAtTheBalanceItHadThen() {
        TestServer.Account account = server.openAccount("5.00");
        credit(account, "1.00", "first", null);
        Instant between = Instant.parse(statement(account, null).get("as_of").asText());
        credit(account, "2.00", "second", null);

        JsonNode past = statement(account, "start=2000-01-01&end=" + encode(between.toString()));

        assertThat(past.get("end_is_now").asBoolean()).isFalse();
        assertThat(past.get("data")).hasSize(2);
        assertThat(past.get("closing_balance_usd").asText()).isEqualTo("6.000000");
        JsonNode rest = statement(account, "start=" + encode(between.toString()));
        assertThat(rest.get("opening_balance_usd").asText()).as("one statement's closing is the next one's opening")
                .isEqualTo("6.000000");
        assertThat(rest.get("closing_balance_usd").asText()).isEqualTo("8.000000");
        assertThat(statement(account, "start=2001-01-01&end=2001-02-01").get("closing_balance_usd").asText())
                .as("before the account existed").isEqualTo("0.000000");
    }

    @Test
    void aFreeRequestIsInTheLogSoonButMovesNoMoney() {
        TestServer.Account account = server.openAccount("1.00");
        HttpResponse<String> free = Http.post(api("/v1/chat/completions"), account.key(), ApiCalls.chat("qwen/qwen3-coder:free"));
        assertThat(free.statusCode()).as(free.body()).isEqualTo(200);
        String id = free.headers().firstValue("x-request-id").orElseThrow();

        Instant deadline = Instant.now().plusSeconds(15);
        HttpResponse<String> found;
        while ((found = Http.get(api("/v1/requests/" + id), account.key())).statusCode() == 404) {
            assertThat(Instant.now()).as("written with the next usage flush").isBefore(deadline);
            Thread.onSpinWait();
        }
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        assertThat(json(found).get("cost_micros").asLong()).isZero();
        assertThat(json(found).get("hold_micros").isNull()).isTrue();
        assertThat(json(found).get("model").asText()).isEqualTo("qwen/qwen3-coder:free");
        assertThat(statement(account, "start=2000-01-01").get("data")).extracting(l -> l.get("kind").asText())
                .containsExactly("admin_credit");
    }

    @Test
    void inferenceKeysAndBadParametersAreRefused() {
        TestServer.Account account = server.openAccount("1.00");
        String inference = json(Http.post(api("/v1/keys"), account.key(), "{\"name\":\"ci\",\"role\":\"inference\"}")).get("key").asText();

        HttpResponse<String> refused = Http.get(api("/v1/statement"), inference);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).at("/error/code").asText()).isEqualTo("permission_denied");
        assertThat(json(refused).at("/error/message").asText()).contains("management key");
        for (String[] c : new String[][] {{"format=xml", "format"}, {"start=soon", "start"}, {"end=2026-02-30", "end"},
                {"start=2026-02-01&end=2026-01-01", "start"}, {"start=-1", "start"}}) {
            HttpResponse<String> response = Http.get(api("/v1/statement?" + c[0]), account.key());
            assertThat(response.statusCode()).as(c[0] + ": " + response.body()).isEqualTo(400);
            assertThat(json(response).at("/error/param").asText()).isEqualTo(c[1]);
        }
        assertThat(Http.get(api("/v1/statement"), account.key(), Map.of("Accept", "application/json")).statusCode()).isEqualTo(200);
    }

    private static JsonNode awaitStatementWith(TestServer.Account account, String requestId) {
        Instant deadline = Instant.now().plusSeconds(15);
        while (true) {
            JsonNode s = statement(account, null);
            for (JsonNode line : s.get("data")) {
                if (requestId.equals(line.path("request_id").asText())) {
                    return s;
                }
            }
            assertThat(Instant.now()).as("the stream settled").isBefore(deadline);
            Thread.onSpinWait();
        }
    }

    private static JsonNode statement(TestServer.Account account, String query) {
        HttpResponse<String> response = Http.get(api("/v1/statement" + (query == null ? "" : "?" + query)), account.key());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static void credit(TestServer.Account account, String dollars, String reference, String note) {
        String body = "{\"amount_usd\":\"" + dollars + "\",\"reference\":\"" + reference + "\""
                + (note == null ? "" : ",\"note\":" + ApiCalls.JSON.valueToTree(note)) + "}";
        HttpResponse<String> response = Http.post(api("/admin/accounts/" + account.accountId() + "/credits"),
                TestServer.ADMIN_TOKEN, body);
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }

    private static URI api(String pathAndQuery) {
        return URI.create(server.baseUrl() + pathAndQuery);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static Money dollars(String text) {
        return Money.parseDollars(text);
    }
}
