package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.embeddings.EmbeddingWire;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.money.Money;
import dev.tollgate.store.dynamo.DynamoKeyStore;
import dev.tollgate.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/embeddings through the real server: the in-process all-MiniLM-L6-v2 model (loaded once, on the
 * first request, from its jar) and an upstream model on the fake OpenAI upstream, with the ledger checked.
 */
class EmbeddingsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "all-minilm-l6-v2";
    private static final long PRICE_MICROS_PER_MILLION = 5_000;
    private static TestServer server;
    private static TestServer.Account account;
    private static URI embeddings;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.openAccount("5.00");
        embeddings = server.apiBase().resolve("/v1/embeddings");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void resetUpstream() {
        server.upstream().reset();
    }

    @AfterEach
    void everyRequestSettled() {
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void aStringIsEmbeddedInProcessAndChargedItsExactTokenCost() throws Exception {
        Money before = server.balance(account.accountId());

        HttpResponse<String> response = post("{\"model\":\"" + MODEL + "\",\"input\":\"The food was delicious.\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("model").asText()).isEqualTo(MODEL);
        JsonNode item = body.at("/data/0");
        assertThat(item.path("object").asText()).isEqualTo("embedding");
        assertThat(item.path("index").asInt()).isZero();
        float[] vector = floats(item.path("embedding"));
        assertThat(vector).hasSize(384);
        assertThat(norm(vector)).isCloseTo(1.0, within(1e-4));
        // [CLS] the food was delicious . [SEP]
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(7);
        assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(7);
        assertThat(body.at("/usage/cost").asText()).isEqualTo("0.000001");
        assertThat(response.headers().firstValue("x-tollgate-cost-usd")).hasValue("0.000001");
        assertThat(response.headers().firstValue("x-request-id")).hasValue(body.at("/tollgate/request_id").asText());
        assertThat(server.balance(account.accountId())).isEqualTo(before.minus(Money.ofMicros(1)));
        LedgerEntry charge = server.ledger(account.accountId()).stream()
                .filter(e -> e.entryId().equals(body.at("/tollgate/request_id").asText())).findFirst().orElseThrow();
        assertThat(charge.request().model()).isEqualTo(MODEL);
        assertThat(charge.request().usage().promptTokens()).isEqualTo(7);
        assertThat(server.upstream().requests()).as("no external service").isEmpty();
    }

    @Test
    void aBatchKeepsItsOrderAndEachVectorEqualsTheOneItGetsAlone() throws Exception {
        List<String> texts = List.of("first sentence", "a much longer second sentence about billing and tokens",
                "third", "the fourth one, with punctuation!", "fifth and last");

        JsonNode batch = json(post("{\"model\":\"" + MODEL + "\",\"input\":" + JSON.writeValueAsString(texts) + "}"));

        assertThat(batch.path("data")).hasSize(5);
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            assertThat(batch.at("/data/" + i + "/index").asInt()).isEqualTo(i);
            JsonNode alone = json(post("{\"model\":\"" + MODEL + "\",\"input\":" + JSON.writeValueAsString(texts.get(i)) + "}"));
            assertThat(floats(batch.at("/data/" + i + "/embedding"))).as(texts.get(i))
                    .containsExactly(floats(alone.at("/data/0/embedding")));
            tokens += alone.at("/usage/prompt_tokens").asLong();
        }
        assertThat(batch.at("/usage/prompt_tokens").asLong()).isEqualTo(tokens);
        assertThat(batch.at("/usage/cost").asText())
                .isEqualTo(Money.ofMicros(Math.ceilDiv(PRICE_MICROS_PER_MILLION * tokens, 1_000_000)).toDollars());
    }

    @Test
    void base64DecodesToTheFloatVector() throws Exception {
        String input = "\"Base64 is how the OpenAI SDKs ask for vectors.\"";
        JsonNode floats = json(post("{\"model\":\"" + MODEL + "\",\"input\":" + input + "}"));
        JsonNode base64 = json(post("{\"model\":\"" + MODEL + "\",\"input\":" + input + ",\"encoding_format\":\"base64\"}"));

        String encoded = base64.at("/data/0/embedding").asText();
        assertThat(java.util.Base64.getDecoder().decode(encoded)).hasSize(384 * 4);
        assertThat(EmbeddingWire.fromBase64(encoded)).containsExactly(floats(floats.at("/data/0/embedding")));
    }

    @Test
    void closeSentencesScoreHigherThanAnUnrelatedOne() throws Exception {
        JsonNode body = json(post("{\"model\":\"" + MODEL + "\",\"input\":[\"How do I reset my password?\","
                + "\"I forgot my password and need to change it.\",\"The cat sleeps on the warm windowsill.\"]}"));

        float[] a = floats(body.at("/data/0/embedding"));
        assertThat(dot(a, floats(body.at("/data/1/embedding"))))
                .isGreaterThan(dot(a, floats(body.at("/data/2/embedding"))) + 0.25);
    }

    @Test
    void tokenArraysOfTheModelsVocabularyEmbedLikeTheText() throws Exception {
        JsonNode text = json(post("{\"model\":\"" + MODEL + "\",\"input\":\"hello world\"}"));
        JsonNode ids = json(post("{\"model\":\"" + MODEL + "\",\"input\":[7592,2088]}"));
        JsonNode arrays = json(post("{\"model\":\"" + MODEL + "\",\"input\":[[7592,2088],[7592]]}"));

        assertThat(floats(ids.at("/data/0/embedding"))).containsExactly(floats(text.at("/data/0/embedding")));
        assertThat(floats(arrays.at("/data/0/embedding"))).containsExactly(floats(text.at("/data/0/embedding")));
        assertThat(arrays.at("/usage/prompt_tokens").asInt()).isEqualTo(4 + 3);
    }

    @Test
    void anInputLongerThanTheModelAcceptsIsA400NamingTheInput() throws Exception {
        Money before = server.balance(account.accountId());

        HttpResponse<String> response = post("{\"model\":\"" + MODEL + "\",\"input\":[\"fine\",\"" + "word ".repeat(300) + "\"]}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo("input");
        assertThat(error.path("message").asText()).contains("input[1] is 302 tokens long")
                .contains("at most 256 tokens per input");
        assertThat(server.balance(account.accountId())).isEqualTo(before);
    }

    @Test
    void moreThan2048InputsIsA400() throws Exception {
        StringBuilder inputs = new StringBuilder("[");
        for (int i = 0; i < 2049; i++) {
            inputs.append(i == 0 ? "" : ",").append("\"x\"");
        }

        HttpResponse<String> response = post("{\"model\":\"" + MODEL + "\",\"input\":" + inputs + "]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/message").asText()).contains("at most 2048");
    }

    @Test
    void unknownFieldsAreIgnoredAndDimensionsOnlyAcceptTheModelsOwnLength() throws Exception {
        assertThat(post("{\"model\":\"" + MODEL + "\",\"input\":\"x\",\"user\":\"u-1\",\"future_option\":{\"a\":1}}")
                .statusCode()).isEqualTo(200);
        assertThat(post("{\"model\":\"" + MODEL + "\",\"input\":\"x\",\"dimensions\":384}").statusCode()).isEqualTo(200);

        HttpResponse<String> shorter = post("{\"model\":\"" + MODEL + "\",\"input\":\"x\",\"dimensions\":128}");

        assertThat(shorter.statusCode()).isEqualTo(400);
        assertThat(json(shorter).at("/error/param").asText()).isEqualTo("dimensions");
    }

    @Test
    void unknownModelsAndChatModelsAre404AndAnUnknownKeyIs401() throws Exception {
        HttpResponse<String> unknown = post("{\"model\":\"text-embedding-9\",\"input\":\"x\"}");
        HttpResponse<String> chat = post("{\"model\":\"qwen3:latest\",\"input\":\"x\"}");
        HttpResponse<String> noKey = Http.post(embeddings, null, "{\"model\":\"" + MODEL + "\",\"input\":\"x\"}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).at("/error/code").asText()).isEqualTo("model_not_found");
        assertThat(chat.statusCode()).isEqualTo(404);
        assertThat(noKey.statusCode()).isEqualTo(401);
    }

    @Test
    void anEmptyBalanceAndAKeyScopedToOtherModelsAre403() throws Exception {
        TestServer.Account broke = server.openAccount("0.00");
        HttpResponse<String> noMoney = Http.post(embeddings, broke.key(), "{\"model\":\"" + MODEL + "\",\"input\":\"x\"}");

        KeySecret secret = KeySecret.generate();
        server.context().getBean(DynamoKeyStore.class).create(new ApiKey(Ids.newId("key"), account.accountId(), secret.hash(),
                secret.prefix(), "chat only", KeyRole.INFERENCE, null, Money.ZERO, Set.of("qwen3:latest"), null, false, null,
                Instant.now(), null));
        HttpResponse<String> scoped = Http.post(embeddings, secret.secret(), "{\"model\":\"" + MODEL + "\",\"input\":\"x\"}");

        assertThat(noMoney.statusCode()).isEqualTo(403);
        assertThat(json(noMoney).at("/error/code").asText()).isEqualTo("insufficient_quota");
        assertThat(json(noMoney).at("/error/message").asText()).contains("Insufficient balance: $0.000000 left");
        assertThat(scoped.statusCode()).isEqualTo(403);
        assertThat(json(scoped).at("/error/code").asText()).isEqualTo("model_not_allowed");
    }

    @Test
    void anUpstreamModelIsPassedThroughAndSettledOnItsUsage() throws Exception {
        Money before = server.balance(account.accountId());

        HttpResponse<String> response = post("{\"model\":\"nomic-embed-text\",\"input\":[\"one two\",\"three\"],"
                + "\"options\":{\"num_ctx\":2048}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        RecordedRequest sent = server.upstream().requests().getFirst();
        assertThat(sent.path()).isEqualTo("/v1/embeddings");
        assertThat(sent.json().path("model").asText()).isEqualTo("nomic-embed-text");
        assertThat(sent.json().at("/options/num_ctx").asInt()).as("unknown fields reach the upstream").isEqualTo(2048);
        JsonNode body = json(response);
        assertThat(body.path("model").asText()).isEqualTo("nomic-embed-text");
        assertThat(body.path("data")).hasSize(2);
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(3);
        assertThat(body.at("/usage/cost").asText()).isEqualTo("0.000001");
        assertThat(server.balance(account.accountId())).isEqualTo(before.minus(Money.ofMicros(1)));
    }

    private static HttpResponse<String> post(String body) {
        return Http.post(embeddings, account.key(), body);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 400, 401, 403, 404);
        return JSON.readTree(response.body());
    }

    static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).floatValue();
        }
        return v;
    }

    private static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) a[i] * b[i];
        }
        return d;
    }
}
