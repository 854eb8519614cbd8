package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.testkit.Behavior;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /v1/requests and GET /v1/requests/{id} against the real server: every request's x-request-id can be looked up
 * with the fields its response reported; pages cover the log exactly once, newest first; filters narrow it; an
 * inference key sees only its own requests; bad parameters are 400s that name the parameter.
 */
class RequestLogIT {

    static TestServer server;
    static TestServer.Account account;
    static Key alice;
    static Key bob;
    /** Request ids in the order they were made. */
    static final List<String> made = new ArrayList<>();
    static final List<String> byAlice = new ArrayList<>();
    static final List<String> byBob = new ArrayList<>();
    static String failedId;
    static String streamedId;
    static JsonNode firstResponse;

    record Key(String id, String secret) {
    }

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.openAccount("10.00");
        alice = key("alice");
        bob = key("bob");
        for (int i = 0; i < 3; i++) {
            byAlice.add(chat(alice, "qwen3:latest"));
        }
        streamedId = stream(alice, "qwen3:latest");
        byAlice.add(streamedId);
        byBob.add(chat(bob, "gemma3:1b"));
        byBob.add(chat(bob, "qwen3:latest"));
        server.upstream().enqueue(Behavior.error(500, null), Behavior.error(500, null)); // one retry, then 502
        HttpResponse<String> failed = Http.post(api("/v1/chat/completions"), bob.secret(), ApiCalls.chat("gemma3:1b"));
        assertThat(failed.statusCode()).as(failed.body()).isGreaterThanOrEqualTo(500);
        failedId = failed.headers().firstValue("x-request-id").orElseThrow();
        made.add(failedId);
        byBob.add(failedId);
        chat(new Key(account.keyId(), account.key()), "gemma3:1b");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyResponsesRequestIdIsInTheLogWithWhatTheResponseSaid() {
        HttpResponse<String> looked = Http.get(api("/v1/requests/" + made.getFirst()), account.key());

        assertThat(looked.statusCode()).as(looked.body()).isEqualTo(200);
        JsonNode r = json(looked);
        assertThat(r.get("id").asText()).isEqualTo(made.getFirst());
        assertThat(r.get("object").asText()).isEqualTo("request");
        assertThat(r.get("key_id").asText()).isEqualTo(alice.id());
        assertThat(r.get("key_name").asText()).isEqualTo("alice");
        assertThat(r.get("model").asText()).isEqualTo("qwen3:latest");
        assertThat(r.get("route").isNull()).isTrue();
        assertThat(r.get("streamed").asBoolean()).isFalse();
        assertThat(r.get("status").asText()).isEqualTo("ok");
        assertThat(r.at("/usage/prompt_tokens").asLong()).isEqualTo(firstResponse.at("/usage/prompt_tokens").asLong());
        assertThat(r.at("/usage/completion_tokens").asLong()).isEqualTo(firstResponse.at("/usage/completion_tokens").asLong());
        assertThat(r.get("charged_usd").asText()).isEqualTo(firstResponse.at("/tollgate/cost_usd").asText());
        assertThat(r.get("cost_usd").asText()).isEqualTo(firstResponse.at("/usage/cost").asText());
        assertThat(r.get("hold_micros").asLong()).as("a hold was taken").isGreaterThanOrEqualTo(r.get("cost_micros").asLong())
                .isPositive();
        assertThat(r.get("shortfall_micros").asLong()).isZero();
        assertThat(r.get("latency_ms").asLong()).isNotNegative();
        LedgerEntry entry = server.ledger(account.accountId()).stream().filter(e -> e.entryId().equals(made.getFirst()))
                .findFirst().orElseThrow();
        assertThat(r.get("charged_micros").asLong()).isEqualTo(-entry.amount().micros());
        assertThat(Instant.parse(r.get("created_at").asText())).isEqualTo(entry.at());

        JsonNode streamed = json(Http.get(api("/v1/requests/" + streamedId), account.key()));
        assertThat(streamed.get("streamed").asBoolean()).isTrue();
        JsonNode failed = json(Http.get(api("/v1/requests/" + failedId), account.key()));
        assertThat(failed.get("status").asText()).isEqualTo("upstream_error");
        assertThat(failed.get("charged_micros").asLong()).isZero();
    }

    @Test
    void pagesCoverTheWholeLogOnceNewestFirst() {
        List<JsonNode> rows = all(account.key(), "limit=2");

        assertThat(rows).extracting(r -> r.get("id").asText()).containsExactlyElementsOf(reversed(made));
        List<Instant> times = rows.stream().map(r -> Instant.parse(r.get("created_at").asText())).toList();
        assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
        JsonNode first = json(Http.get(api("/v1/requests?limit=2"), account.key()));
        assertThat(first.get("object").asText()).isEqualTo("list");
        assertThat(first.get("has_more").asBoolean()).isTrue();
        JsonNode everything = json(Http.get(api("/v1/requests?limit=200"), account.key()));
        assertThat(everything.get("has_more").asBoolean()).isFalse();
        assertThat(everything.get("next_cursor").isNull()).isTrue();
        assertThat(everything.get("data")).hasSize(made.size());
        assertThat(json(Http.get(api("/v1/requests"), account.key())).get("data")).as("default limit 50").hasSize(made.size());
    }

    @Test
    void filtersNarrowTheLog() {
        assertThat(ids(all(account.key(), "key_id=" + bob.id() + "&limit=1"))).containsExactlyElementsOf(reversed(byBob));
        assertThat(ids(all(account.key(), "model=gemma3:1b"))).containsExactlyInAnyOrder(byBob.get(0), failedId, made.getLast());
        assertThat(ids(all(account.key(), "status=upstream_error&limit=1"))).containsExactly(failedId);
        assertThat(ids(all(account.key(), "model=gemma3:1b&key_id=" + bob.id() + "&status=ok"))).containsExactly(byBob.get(0));
        assertThat(ids(all(account.key(), "model=no-such-model"))).isEmpty();

        Instant middle = Instant.parse(json(Http.get(api("/v1/requests/" + streamedId), account.key())).get("created_at").asText());
        List<String> fromMiddle = made.subList(made.indexOf(streamedId), made.size());
        assertThat(ids(all(account.key(), "start=" + encode(middle.toString())))).containsExactlyElementsOf(reversed(fromMiddle));
        assertThat(ids(all(account.key(), "end=" + encode(middle.toString()) + "&limit=1")))
                .containsExactlyElementsOf(reversed(made.subList(0, made.indexOf(streamedId))));
        assertThat(ids(all(account.key(), "start=" + encode(middle.toString()) + "&end=" + encode(middle.plusNanos(1).toString()))))
                .containsExactly(streamedId);
        assertThat(ids(all(account.key(), "start=" + middle.getEpochSecond() + "&end=2999-01-01"))).contains(streamedId);
    }

    @Test
    void anInferenceKeySeesOnlyItsOwnRequests() {
        assertThat(ids(all(alice.secret(), "limit=2"))).containsExactlyElementsOf(reversed(byAlice));
        assertThat(ids(all(alice.secret(), "key_id=" + alice.id()))).containsExactlyElementsOf(reversed(byAlice));
        assertThat(Http.get(api("/v1/requests/" + byAlice.getFirst()), alice.secret()).statusCode()).isEqualTo(200);

        HttpResponse<String> others = Http.get(api("/v1/requests?key_id=" + bob.id()), alice.secret());
        assertThat(others.statusCode()).isEqualTo(403);
        assertThat(json(others).at("/error/code").asText()).isEqualTo("permission_denied");
        assertThat(json(others).at("/error/param").asText()).isEqualTo("key_id");
        for (String id : List.of(byBob.getFirst(), made.getLast(), "req_doesnotexist000000")) {
            HttpResponse<String> one = Http.get(api("/v1/requests/" + id), alice.secret());
            assertThat(one.statusCode()).as("another key's request is not found, not forbidden: " + id).isEqualTo(404);
            assertThat(json(one).at("/error/code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void anotherAccountsRequestsAreNotFound() {
        TestServer.Account other = server.openAccount("1.00");
        assertThat(Http.get(api("/v1/requests/" + made.getFirst()), other.key()).statusCode()).isEqualTo(404);
        assertThat(json(Http.get(api("/v1/requests"), other.key())).get("data")).isEmpty();
        assertThat(json(Http.get(api("/v1/requests?key_id=" + alice.id()), other.key())).get("data")).isEmpty();
        String topUp = "open:" + account.accountId();
        assertThat(Http.get(api("/v1/requests/" + encode(topUp)), account.key()).statusCode())
                .as("a ledger entry that is not a request").isEqualTo(404);
    }

    @Test
    void badParametersAre400sNamingTheParameter() {
        String[][] cases = {
                {"limit=0", "limit"}, {"limit=201", "limit"}, {"limit=ten", "limit"}, {"limit=99999999999", "limit"},
                {"after=not-a-cursor", "after"}, {"after=" + encode("MXx4fHk"), "after"}, {"start=yesterday", "start"},
                {"end=2026-13-01", "end"}, {"start=99999999999999", "start"}, {"status=great", "status"},
                {"start=2026-02-01&end=2026-01-01", "start"}, {"key_id=" + encode("key\u0001"), "key_id"},
                {"model=" + "m".repeat(300), "model"}, {"start=" + encode("2026-01-01T00:00:00+25:00"), "start"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = Http.get(api("/v1/requests?" + c[0]), account.key());
            assertThat(response.statusCode()).as(c[0] + ": " + response.body()).isEqualTo(400);
            assertThat(json(response).at("/error/type").asText()).isEqualTo("invalid_request_error");
            assertThat(json(response).at("/error/param").asText()).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(Http.get(api("/v1/requests/" + "x".repeat(2000)), account.key()).statusCode()).isEqualTo(404);
        assertThat(Http.get(api("/v1/requests"), null).statusCode()).isEqualTo(401);
    }

    static List<JsonNode> all(String key, String query) {
        return all(server.baseUrl(), key, query);
    }

    /** Every row of every page of GET /v1/requests?{query} on the server at {@code base}, following next_cursor. */
    static List<JsonNode> all(URI base, String key, String query) {
        List<JsonNode> rows = new ArrayList<>();
        Set<String> cursors = new LinkedHashSet<>();
        String after = null;
        do {
            HttpResponse<String> response = Http.get(URI.create(base + "/v1/requests?" + query
                    + (after == null ? "" : "&after=" + after)), key);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = json(response);
            page.get("data").forEach(rows::add);
            after = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
            assertThat(after == null || cursors.add(after)).as("a cursor never repeats").isTrue();
        } while (after != null);
        return rows;
    }

    static List<String> ids(List<JsonNode> rows) {
        return rows.stream().map(r -> r.get("id").asText()).toList();
    }

    private static Key key(String name) {
        HttpResponse<String> created = Http.post(api("/v1/keys"), account.key(), "{\"name\":\"" + name + "\",\"role\":\"inference\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new Key(json(created).get("id").asText(), json(created).get("key").asText());
    }

    private static String chat(Key key, String model) {
        HttpResponse<String> response = Http.post(api("/v1/chat/completions"), key.secret(), ApiCalls.chat(model));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String id = response.headers().firstValue("x-request-id").orElseThrow();
        assertThat(json(response).at("/tollgate/request_id").asText()).isEqualTo(id);
        if (firstResponse == null) {
            firstResponse = json(response);
        }
        made.add(id);
        return id;
    }

    private static String stream(Key key, String model) {
        String body = "{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<InputStream> response = Http.postStreaming(api("/v1/chat/completions"), key.secret(), body);
        try (InputStream in = response.body()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).contains("[DONE]");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String id = response.headers().firstValue("x-request-id").orElseThrow();
        made.add(id);
        // A stream settles as it ends, maybe just after the client read [DONE]: wait for it, so that the next
        // request settles after it (the log's order is settlement order).
        Instant deadline = Instant.now().plusSeconds(10);
        while (Http.get(api("/v1/requests/" + id), account.key()).statusCode() != 200) {
            assertThat(Instant.now()).as("the stream settled").isBefore(deadline);
            Thread.onSpinWait();
        }
        return id;
    }

    private static List<String> reversed(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        java.util.Collections.reverse(copy);
        return copy;
    }

    static URI api(String pathAndQuery) {
        return URI.create(server.baseUrl() + pathAndQuery);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static boolean isRequestCharge(LedgerEntry e) {
        return e.type() == LedgerType.CHARGE && !e.entryId().contains("#");
    }
}
