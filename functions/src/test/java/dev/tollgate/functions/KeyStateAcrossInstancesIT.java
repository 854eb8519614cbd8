package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two application instances on one DynamoDB, as two warm Lambda instances: each caches keys for its TTL (10 s by
 * default), but the key's own item is a condition of every hold, so a key revoked, disabled or given a smaller
 * budget on one instance is refused by the other's very next paid request, cache or not.
 */
class KeyStateAcrossInstancesIT {

    static final String PAID = "{\"model\":\"qwen3:latest\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static TestServer first;
    static TestServer second;

    @BeforeAll
    static void start() {
        Map<String, Object> longCache = Map.of("tollgate.key-cache-ttl", "10m");
        first = TestServer.start(longCache);
        second = first.secondInstance(longCache);
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    @BeforeEach
    void reset() {
        first.upstream().reset();
    }

    @Test
    void aKeyRevokedOnOneInstanceCannotSpendOnTheOther() {
        TestServer.Account account = first.openAccount("1.00");
        JsonNode key = createKey(account, "{\"name\":\"worker\"}");
        assertThat(paid(first, key).statusCode()).as("cached on the first instance now").isEqualTo(200);

        HttpResponse<String> revoked = ApiCalls.delete(keyUri(second, key), account.key());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);

        assertRefused(paid(first, key), 401, "invalid_api_key", "revoked");
        assertNothingHeld(account);
    }

    @Test
    void aKeyDisabledOnOneInstanceCannotSpendOnTheOther() {
        TestServer.Account account = first.openAccount("1.00");
        JsonNode key = createKey(account, "{\"name\":\"worker\"}");
        assertThat(paid(first, key).statusCode()).isEqualTo(200);

        assertThat(ApiCalls.patch(keyUri(second, key), account.key(), "{\"disabled\":true}").statusCode()).isEqualTo(200);

        assertRefused(paid(first, key), 401, "invalid_api_key", "disabled");
        assertNothingHeld(account);
    }

    @Test
    void aKeyExpiredOnOneInstanceCannotSpendOnTheOther() {
        TestServer.Account account = first.openAccount("1.00");
        JsonNode key = createKey(account, "{\"name\":\"worker\",\"expires_at\":\"+10000-01-01T00:00:00Z\"}");
        assertThat(paid(first, key).statusCode()).as("a far expiry still compares as a time").isEqualTo(200);

        // An expiry must be in the future when it is set: one second from now, then wait for it to pass.
        java.time.Instant expiry = java.time.Instant.now().plusSeconds(1);
        HttpResponse<String> patched = ApiCalls.patch(keyUri(second, key), account.key(),
                "{\"expires_at\":\"" + expiry + "\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        while (!java.time.Instant.now().isAfter(expiry.plusMillis(50))) {
            Thread.onSpinWait();
        }

        assertRefused(paid(first, key), 401, "invalid_api_key", "expired");
        assertNothingHeld(account);
    }

    @Test
    void aBudgetSetOnOneInstanceBindsTheOtherAtOnce() {
        TestServer.Account account = first.openAccount("1.00");
        JsonNode key = createKey(account, "{\"name\":\"worker\"}");
        assertThat(paid(first, key).statusCode()).isEqualTo(200);

        HttpResponse<String> patched = ApiCalls.patch(keyUri(second, key), account.key(), "{\"budget_usd\":\"0.000010\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);

        assertRefused(paid(first, key), 403, "insufficient_quota", "budget");
        assertNothingHeld(account);
    }

    @Test
    void aKeyWithoutABudgetStillCountsWhatItSpent() {
        TestServer.Account account = first.openAccount("1.00");
        JsonNode key = createKey(account, "{\"name\":\"worker\"}");
        assertThat(paid(first, key).statusCode()).isEqualTo(200);

        JsonNode listed = ApiCalls.json(Http.get(keyUri(second, key), account.key()));
        Money spent = Money.parseDollars("1.00").minus(first.balance(account.accountId()));
        assertThat(spent.isPositive()).isTrue();
        assertThat(listed.get("spent_usd").asText()).isEqualTo(spent.toDollars());
    }

    private static JsonNode createKey(TestServer.Account account, String body) {
        HttpResponse<String> created = Http.post(second.apiBase().resolve("/v1/keys"), account.key(), body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return ApiCalls.json(created);
    }

    private static HttpResponse<String> paid(TestServer server, JsonNode key) {
        return Http.post(server.apiBase().resolve("/v1/chat/completions"), key.get("key").asText(), PAID);
    }

    private static URI keyUri(TestServer server, JsonNode key) {
        return server.apiBase().resolve("/v1/keys/" + key.get("id").asText());
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(ApiCalls.json(response).at("/error/code").asText()).isEqualTo(code);
        assertThat(ApiCalls.json(response).at("/error/message").asText()).contains(message);
    }

    /** The refused request took nothing: balance and ledger agree, no hold left open. */
    private static void assertNothingHeld(TestServer.Account account) {
        assertThat(first.ledgerSum(account.accountId())).isEqualTo(first.balance(account.accountId()));
    }
}
