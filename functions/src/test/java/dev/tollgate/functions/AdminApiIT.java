package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator API: reading accounts and crediting or debiting them once per reference. */
class AdminApiIT {

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
    void theAdminTokenIsRequired() {
        TestServer.Account account = server.openAccount("1.00");
        URI uri = admin("/admin/accounts/" + account.accountId());

        HttpResponse<String> none = Http.get(uri, null);
        HttpResponse<String> wrong = Http.get(uri, "not-the-token");
        HttpResponse<String> customerKey = Http.post(admin("/admin/accounts/" + account.accountId() + "/credits"),
                account.key(), "{\"amount_usd\":\"100.00\",\"reference\":\"free-money\"}");

        for (HttpResponse<String> response : List.of(none, wrong, customerKey)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(json(response).at("/error/code").asText()).isEqualTo("invalid_api_key");
        }
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00"));
    }

    @Test
    void readsAnAccount() {
        TestServer.Account account = server.openAccount("3.25");

        HttpResponse<String> response = Http.get(admin("/admin/accounts/" + account.accountId()), TestServer.ADMIN_TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("account_id").asText()).isEqualTo(account.accountId());
        assertThat(body.get("name").asText()).isEqualTo("test");
        assertThat(body.get("balance_usd").asText()).isEqualTo("3.250000");
        assertThat(body.get("balance_micros").asLong()).isEqualTo(3_250_000L);
        assertThat(body.get("created_at").asText()).isNotBlank();
        assertThat(Http.get(admin("/admin/accounts/acct_nope"), TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void aCreditIsAppliedOncePerReference() {
        TestServer.Account account = server.openAccount("5.00");
        URI credits = admin("/admin/accounts/" + account.accountId() + "/credits");
        String body = "{\"amount_usd\":\"2.50\",\"reference\":\"ticket-42\",\"note\":\"goodwill\"}";

        HttpResponse<String> first = Http.post(credits, TestServer.ADMIN_TOKEN, body);
        HttpResponse<String> again = Http.post(credits, TestServer.ADMIN_TOKEN, body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(json(first).get("duplicate").asBoolean()).isFalse();
        assertThat(json(first).get("amount_usd").asText()).isEqualTo("2.500000");
        assertThat(json(first).get("balance_usd").asText()).isEqualTo("7.500000");
        assertThat(json(first).get("type").asText()).isEqualTo("admin_credit");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("duplicate").asBoolean()).isTrue();
        assertThat(json(again).get("balance_usd").asText()).isEqualTo("7.500000");
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("7.50"));
        List<LedgerEntry> entries = server.ledger(account.accountId()).stream()
                .filter(e -> e.entryId().equals("admin:ticket-42")).toList();
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(LedgerType.ADMIN_CREDIT);
            assertThat(e.amount()).isEqualTo(Money.parseDollars("2.50"));
            assertThat(e.reference()).isEqualTo("ticket-42");
            assertThat(e.note()).isEqualTo("goodwill");
        });
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void aReusedReferenceForADifferentChangeIsAConflict() {
        TestServer.Account account = server.openAccount("5.00");
        URI credits = admin("/admin/accounts/" + account.accountId() + "/credits");
        Http.post(credits, TestServer.ADMIN_TOKEN, "{\"amount_usd\":\"1.00\",\"reference\":\"inv-7\"}");

        HttpResponse<String> different = Http.post(credits, TestServer.ADMIN_TOKEN, "{\"amount_usd\":\"9.00\",\"reference\":\"inv-7\"}");

        assertThat(different.statusCode()).isEqualTo(409);
        assertThat(json(different).at("/error/param").asText()).isEqualTo("reference");
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("6.00"));
    }

    @Test
    void aDebitBeyondTheBalanceOwesTheRestAndBlocksTheKeysUntilACreditPaysIt() {
        TestServer.Account account = server.openAccount("3.00");
        URI credits = admin("/admin/accounts/" + account.accountId() + "/credits");

        HttpResponse<String> debit = Http.post(credits, TestServer.ADMIN_TOKEN,
                "{\"amount_usd\":\"-5.00\",\"reference\":\"chargeback-1\",\"note\":\"dispute lost\"}");

        assertThat(debit.statusCode()).as(debit.body()).isEqualTo(201);
        assertThat(json(debit).get("type").asText()).isEqualTo("admin_debit");
        assertThat(json(debit).get("requested_usd").asText()).isEqualTo("-5.000000");
        assertThat(json(debit).get("amount_usd").asText()).isEqualTo("-3.000000");
        assertThat(json(debit).get("shortfall_usd").asText()).isEqualTo("2.000000");
        assertThat(json(debit).get("balance_usd").asText()).isEqualTo("0.000000");
        assertThat(json(debit).get("debt_usd").asText()).isEqualTo("2.000000");
        assertThat(json(debit).get("note").asText()).contains("dispute lost", "$2.000000 exceeded the balance and is owed");
        assertThat(server.ledger(account.accountId())).filteredOn(e -> e.type() == LedgerType.ADMIN_DEBIT)
                .singleElement().satisfies(e -> assertThat(e.amount()).isEqualTo(Money.parseDollars("-3.00")));
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(Money.ZERO);
        HttpResponse<String> repeat = Http.post(credits, TestServer.ADMIN_TOKEN,
                "{\"amount_usd\":\"-5.00\",\"reference\":\"chargeback-1\"}");
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(json(repeat).get("duplicate").asBoolean()).isTrue();
        assertThat(json(repeat).get("debt_usd").asText()).as("owed once").isEqualTo("2.000000");

        assertRefusedOwing(account, "$2.000000");
        Http.post(credits, TestServer.ADMIN_TOKEN, "{\"amount_usd\":\"1.50\",\"reference\":\"goodwill-1\"}");
        assertRefusedOwing(account, "$0.500000");
        Http.post(credits, TestServer.ADMIN_TOKEN, "{\"amount_usd\":\"4.00\",\"reference\":\"goodwill-2\"}");
        server.upstream().reset();
        HttpResponse<String> served = Http.post(server.apiBase().resolve("/v1/chat/completions"), account.key(),
                ApiCalls.chat("qwen3:latest"));
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(server.balances().funds(account.accountId()).orElseThrow().debt()).isEqualTo(Money.ZERO);
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void anAccountIsOpenedOncePerReference() {
        URI accounts = admin("/admin/accounts");
        String body = "{\"name\":\"Acme\",\"credit_usd\":\"5.00\",\"reference\":\"crm-1042\"}";

        HttpResponse<String> first = Http.post(accounts, TestServer.ADMIN_TOKEN, body);
        HttpResponse<String> again = Http.post(accounts, TestServer.ADMIN_TOKEN, body);
        HttpResponse<String> different = Http.post(accounts, TestServer.ADMIN_TOKEN,
                "{\"name\":\"Acme\",\"credit_usd\":\"50.00\",\"reference\":\"crm-1042\"}");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(json(first).get("api_key").asText()).startsWith("sk-");
        assertThat(json(first).get("duplicate").asBoolean()).isFalse();
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).get("duplicate").asBoolean()).isTrue();
        assertThat(json(again).get("api_key").isNull()).as("the secret is shown once").isTrue();
        for (String field : List.of("account_id", "key_id", "name", "reference", "balance_usd")) {
            assertThat(json(again).get(field)).as(field).isEqualTo(json(first).get(field));
        }
        assertThat(different.statusCode()).as(different.body()).isEqualTo(409);
        assertThat(json(different).at("/error/param").asText()).isEqualTo("reference");
        String accountId = json(first).get("account_id").asText();
        assertThat(server.balance(accountId)).isEqualTo(Money.parseDollars("5.00"));
        assertThat(server.ledger(accountId)).hasSize(1);
        assertParam(Http.post(accounts, TestServer.ADMIN_TOKEN, "{\"name\":\"A\",\"credit_usd\":\"1.00\",\"reference\":7}"),
                "reference");
    }

    private static void assertRefusedOwing(TestServer.Account account, String owed) {
        HttpResponse<String> refused = Http.post(server.apiBase().resolve("/v1/chat/completions"), account.key(),
                ApiCalls.chat("qwen3:latest"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(json(refused).at("/error/code").asText()).isEqualTo("insufficient_quota");
        assertThat(json(refused).at("/error/message").asText()).contains("owes " + owed);
    }

    @Test
    void badAdjustmentsAreRefused() {
        TestServer.Account account = server.openAccount("1.00");
        URI credits = admin("/admin/accounts/" + account.accountId() + "/credits");

        assertThat(Http.post(admin("/admin/accounts/acct_nope/credits"), TestServer.ADMIN_TOKEN,
                "{\"amount_usd\":\"1.00\",\"reference\":\"r\"}").statusCode()).isEqualTo(404);
        assertParam(Http.post(credits, TestServer.ADMIN_TOKEN, "{\"amount_usd\":\"0\",\"reference\":\"r\"}"), "amount_usd");
        assertParam(Http.post(credits, TestServer.ADMIN_TOKEN, "{\"amount_usd\":\"1.5x\",\"reference\":\"r\"}"), "amount_usd");
        assertParam(Http.post(credits, TestServer.ADMIN_TOKEN, "{\"amount_usd\":\"1.00\"}"), "reference");
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00"));
    }

    private static void assertParam(HttpResponse<String> response, String param) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).at("/error/param").asText()).isEqualTo(param);
    }

    private static URI admin(String path) {
        return server.baseUrl().resolve(path);
    }
}
