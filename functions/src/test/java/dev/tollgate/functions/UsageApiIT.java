package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /v1/usage against real settlements. The fake upstream reports 11 prompt + 3 completion tokens per
 * request: qwen3:latest costs 11 × 0.20 + 3 × 0.60 = 4 µ$, gemma3:1b 11 × 0.05 + 3 × 0.10 = 0.85 → 1 µ$.
 */
class UsageApiIT {

    static TestServer server;
    static TestServer.Account account;
    static String key;
    static String keyId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.openAccount("5.00");
        HttpResponse<String> created = Http.post(server.apiBase().resolve("/v1/keys"), account.key(),
                "{\"name\":\"metered\",\"budget_usd\":\"0.50\"}");
        key = json(created).get("key").asText();
        keyId = json(created).get("id").asText();
        URI chat = server.apiBase().resolve("/v1/chat/completions");
        for (String model : new String[] {"qwen3:latest", "gemma3:1b", "qwen3:latest"}) {
            HttpResponse<String> response = Http.post(chat, key, ApiCalls.chat(model));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void totalsByDayAndByModelAreExact() {
        HttpResponse<String> response = Http.get(server.apiBase().resolve("/v1/usage"), key);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode usage = json(response);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(usage.get("object").asText()).isEqualTo("usage");
        assertThat(usage.get("account_id").asText()).isEqualTo(account.accountId());
        assertThat(usage.get("balance_usd").asText()).isEqualTo("4.999991");
        assertThat(usage.at("/period/end").asText()).isEqualTo(today);
        assertThat(usage.at("/period/start").asText()).isEqualTo(LocalDate.parse(today).minusDays(29).toString());
        assertThat(usage.get("totals").toString()).isEqualTo(
                "{\"requests\":3,\"prompt_tokens\":33,\"completion_tokens\":9,\"total_tokens\":42,\"cost_usd\":\"0.000009\"}");
        assertThat(usage.get("by_day").toString()).isEqualTo("[{\"date\":\"" + today + "\",\"requests\":3,"
                + "\"prompt_tokens\":33,\"completion_tokens\":9,\"total_tokens\":42,\"cost_usd\":\"0.000009\"}]");
        assertThat(usage.get("by_model").toString()).isEqualTo("["
                + "{\"model\":\"gemma3:1b\",\"requests\":1,\"prompt_tokens\":11,\"completion_tokens\":3,\"total_tokens\":14,\"cost_usd\":\"0.000001\"},"
                + "{\"model\":\"qwen3:latest\",\"requests\":2,\"prompt_tokens\":22,\"completion_tokens\":6,\"total_tokens\":28,\"cost_usd\":\"0.000008\"}]");
        assertThat(usage.at("/key/id").asText()).isEqualTo(keyId);
        assertThat(usage.at("/key/budget_usd").asText()).isEqualTo("0.500000");
        assertThat(usage.at("/key/spent_usd").asText()).isEqualTo("0.000009");
        assertThat(usage.at("/key/remaining_usd").asText()).isEqualTo("0.499991");
    }

    @Test
    void theUsageAgreesWithTheLedger() {
        JsonNode usage = json(Http.get(server.apiBase().resolve("/v1/usage"), account.key()));

        assertThat(server.ledgerSum(account.accountId()).toDollars()).isEqualTo(usage.get("balance_usd").asText());
        assertThat(usage.at("/key/budget_usd").isNull()).isTrue();
        assertThat(usage.at("/key/remaining_usd").isNull()).isTrue();
        assertThat(usage.at("/totals/requests").asInt()).isEqualTo(3); // usage is the account's, whichever key asks
    }

    @Test
    void aPeriodWithoutUsageIsEmpty() {
        JsonNode usage = json(Http.get(server.apiBase().resolve("/v1/usage?start=2020-01-01&end=2020-01-31"), key));

        assertThat(usage.at("/totals/requests").asInt()).isZero();
        assertThat(usage.at("/totals/cost_usd").asText()).isEqualTo("0.000000");
        assertThat(usage.get("by_day")).isEmpty();
        assertThat(usage.get("by_model")).isEmpty();
    }

    @Test
    void badPeriodsAreRefusedNamingTheParameter() {
        assertBadRequest("start=2026-13-01", "start");
        assertBadRequest("start=yesterday", "start");
        assertBadRequest("end=2026/01/31", "end");
        assertBadRequest("start=2026-02-01&end=2026-01-01", "start");
        assertBadRequest("start=2024-01-01&end=2025-01-02", "start"); // 368 days
    }

    private static void assertBadRequest(String query, String param) {
        HttpResponse<String> response = Http.get(server.apiBase().resolve("/v1/usage?" + query), key);
        assertThat(response.statusCode()).as(query).isEqualTo(400);
        assertThat(json(response).at("/error/param").asText()).as(query).isEqualTo(param);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("invalid_request_error");
    }
}
