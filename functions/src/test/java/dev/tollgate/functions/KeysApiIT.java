package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.keys.KeySecret;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The key management API end to end, and the limits it sets taking effect on the model endpoints. */
class KeysApiIT {

    static TestServer server;
    static TestServer.Account account;
    static URI keys;
    static URI chat;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.openAccount("5.00");
        keys = server.apiBase().resolve("/v1/keys");
        chat = server.apiBase().resolve("/v1/chat/completions");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createsAKeyShowsTheSecretOnceAndListsOnlyItsPrefix() {
        HttpResponse<String> created = Http.post(keys, account.key(), """
                {"name":"ci","role":"inference","budget_usd":"1.00","allowed_models":["gemma3:1b"],
                 "expires_at":"2099-01-01T00:00:00Z","rpm_limit":60}""");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = json(created);
        String secret = key.get("key").asText();
        assertThat(KeySecret.looksValid(secret)).isTrue();
        assertThat(key.get("id").asText()).startsWith("key_");
        assertThat(key.get("prefix").asText()).isEqualTo(secret.substring(0, 12));
        assertThat(key.get("name").asText()).isEqualTo("ci");
        assertThat(key.get("role").asText()).isEqualTo("inference");
        assertThat(key.get("budget_usd").asText()).isEqualTo("1.000000");
        assertThat(key.get("spent_usd").asText()).isEqualTo("0.000000");
        assertThat(key.get("remaining_usd").asText()).isEqualTo("1.000000");
        assertThat(key.get("allowed_models").toString()).isEqualTo("[\"gemma3:1b\"]");
        assertThat(key.get("expires_at").asText()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(key.get("rpm_limit").asInt()).isEqualTo(60);
        assertThat(key.get("disabled").asBoolean()).isFalse();
        assertThat(key.get("created_at").asText()).isNotBlank();

        HttpResponse<String> list = Http.get(keys, account.key());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret).doesNotContain(KeySecret.hash(secret))
                .doesNotContain(KeySecret.hash(account.key()));
        JsonNode listed = findById(json(list), key.get("id").asText());
        assertThat(listed.has("key")).isFalse();
        assertThat(listed.get("prefix").asText()).isEqualTo(secret.substring(0, 12));
        assertThat(json(list).get("object").asText()).isEqualTo("list");
    }

    @Test
    void theNewKeyMayUseOnlyItsAllowedModels() {
        String secret = createKey("{\"name\":\"scoped\",\"allowed_models\":[\"gemma3:1b\"]}").get("key").asText();

        HttpResponse<String> allowed = Http.post(chat, secret, ApiCalls.chat("gemma3:1b"));
        HttpResponse<String> other = Http.post(chat, secret, ApiCalls.chat("qwen3:latest"));

        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(json(other).at("/error/code").asText()).isEqualTo("model_not_allowed");
    }

    @Test
    void anInferenceKeyCannotManageKeys() {
        String inference = createKey("{\"name\":\"worker\"}").get("key").asText();

        HttpResponse<String> create = Http.post(keys, inference, "{\"name\":\"sneaky\",\"role\":\"management\"}");
        HttpResponse<String> list = Http.get(keys, inference);

        for (HttpResponse<String> response : java.util.List.of(create, list)) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(json(response).at("/error/code").asText()).isEqualTo("permission_denied");
            assertThat(json(response).at("/error/message").asText()).contains("management key");
        }
    }

    @Test
    void aBudgetChangeShowsInUsageAndRemovingItClearsIt() {
        JsonNode key = createKey("{\"name\":\"budgeted\",\"budget_usd\":\"0.50\"}");
        String secret = key.get("key").asText();
        URI self = keys.resolve("/v1/keys/" + key.get("id").asText());
        assertThat(Http.post(chat, secret, ApiCalls.chat("qwen3:latest")).statusCode()).isEqualTo(200);

        HttpResponse<String> patched = ApiCalls.patch(self, account.key(), "{\"budget_usd\":\"2.00\",\"name\":\"bigger\"}");

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).get("name").asText()).isEqualTo("bigger");
        assertThat(json(patched).get("spent_usd").asText()).isEqualTo("0.000004"); // 11 × $0.20/M + 3 × $0.60/M
        assertThat(json(patched).get("remaining_usd").asText()).isEqualTo("1.999996");
        JsonNode usage = json(Http.get(server.apiBase().resolve("/v1/usage"), secret));
        assertThat(usage.at("/key/budget_usd").asText()).isEqualTo("2.000000");
        assertThat(usage.at("/key/remaining_usd").asText()).isEqualTo("1.999996");

        JsonNode unlimited = json(ApiCalls.patch(self, account.key(), "{\"budget_usd\":null}"));
        assertThat(unlimited.get("budget_usd").isNull()).isTrue();
        assertThat(unlimited.get("remaining_usd").isNull()).isTrue();
        assertThat(Http.post(chat, secret, ApiCalls.chat("qwen3:latest")).statusCode()).isEqualTo(200);
    }

    @Test
    void aRevokedKeyIsRefusedAtOnce() {
        JsonNode key = createKey("{\"name\":\"doomed\"}");
        String secret = key.get("key").asText();
        assertThat(Http.post(chat, secret, ApiCalls.chat("gemma3:1b")).statusCode()).isEqualTo(200); // now cached

        HttpResponse<String> revoked = ApiCalls.delete(keys.resolve("/v1/keys/" + key.get("id").asText()), account.key());

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(Instant.parse(json(revoked).get("revoked_at").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(json(revoked).get("status").asText()).isEqualTo("revoked");
        HttpResponse<String> refused = Http.post(chat, secret, ApiCalls.chat("gemma3:1b"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(json(refused).at("/error/message").asText()).contains("revoked");
    }

    @Test
    void aDisabledKeyIsRefusedUntilReenabled() {
        JsonNode key = createKey("{\"name\":\"paused\"}");
        String secret = key.get("key").asText();
        URI self = keys.resolve("/v1/keys/" + key.get("id").asText());

        assertThat(ApiCalls.patch(self, account.key(), "{\"disabled\":true}").statusCode()).isEqualTo(200);
        assertThat(Http.post(chat, secret, ApiCalls.chat("gemma3:1b")).statusCode()).isEqualTo(401);
        assertThat(ApiCalls.patch(self, account.key(), "{\"disabled\":false}").statusCode()).isEqualTo(200);
        assertThat(Http.post(chat, secret, ApiCalls.chat("gemma3:1b")).statusCode()).isEqualTo(200);
    }

    @Test
    void invalidFieldsAreRefusedNamingTheField() {
        assertInvalid("{\"name\":\"x\",\"allowed_models\":[\"gemma3:1b\",\"gpt-9\",\"nope\"]}", "allowed_models", "gpt-9, nope");
        assertInvalid("{\"name\":\"x\",\"budget_usd\":\"-1\"}", "budget_usd", "budget_usd");
        assertInvalid("{\"name\":\"x\",\"budget_usd\":\"1.0000001\"}", "budget_usd", "6 decimals");
        assertInvalid("{\"name\":\"x\",\"expires_at\":\"2001-01-01T00:00:00Z\"}", "expires_at", "not in the future");
        assertInvalid("{\"name\":\"x\",\"expires_at\":\"tomorrow\"}", "expires_at", "ISO-8601");
        assertInvalid("{\"name\":\"x\",\"rpm_limit\":0}", "rpm_limit", "rpm_limit");
        assertInvalid("{\"name\":\"x\",\"role\":\"admin\"}", "role", "management");
        assertInvalid("{\"name\":\"x\",\"budget\":\"5\"}", "budget", "budget_usd");
        assertInvalid("{\"role\":\"inference\"}", "name", "name");
    }

    @Test
    void anotherAccountsKeyIsNotFound() {
        TestServer.Account other = server.openAccount("1.00");
        URI theirs = keys.resolve("/v1/keys/" + other.keyId());

        HttpResponse<String> read = Http.get(theirs, account.key());
        HttpResponse<String> revoke = ApiCalls.delete(theirs, account.key());

        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(revoke.statusCode()).isEqualTo(404);
        assertThat(json(revoke).at("/error/code").asText()).isEqualTo("not_found");
        assertThat(Http.get(server.apiBase().resolve("/v1/models"), other.key()).statusCode()).isEqualTo(200);
    }

    @Test
    void theLastManagementKeyCannotBeRevoked() {
        TestServer.Account fresh = server.openAccount("1.00");

        HttpResponse<String> revoke = ApiCalls.delete(keys.resolve("/v1/keys/" + fresh.keyId()), fresh.key());

        assertThat(revoke.statusCode()).isEqualTo(409);
        assertThat(json(revoke).at("/error/message").asText()).contains("only usable management key");
    }

    private static JsonNode createKey(String body) {
        HttpResponse<String> created = Http.post(keys, account.key(), body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created);
    }

    private static void assertInvalid(String body, String param, String messagePart) {
        HttpResponse<String> response = Http.post(keys, account.key(), body);
        assertThat(response.statusCode()).as(body + " → " + response.body()).isEqualTo(400);
        assertThat(json(response).at("/error/param").asText()).as(body).isEqualTo(param);
        assertThat(json(response).at("/error/message").asText()).as(body).contains(messagePart);
    }

    private static JsonNode findById(JsonNode list, String id) {
        for (JsonNode key : list.get("data")) {
            if (key.get("id").asText().equals(id)) {
                return key;
            }
        }
        throw new AssertionError("key " + id + " not listed in " + list);
    }
}
