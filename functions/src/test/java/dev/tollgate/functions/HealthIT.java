package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /health} and {@code GET /ready}: no key needed; not ready is a 503 in the OpenAI error envelope. */
class HealthIT {

    static final ObjectMapper JSON = new ObjectMapper();
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
    void healthAnswersWithoutAKey() throws Exception {
        HttpResponse<String> response = Http.get(server.baseUrl().resolve("/health"), null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void readyWhenDynamoDbAnswersListingTheUpstreamsWithoutTheirAddresses() throws Exception {
        HttpResponse<String> response = Http.get(server.baseUrl().resolve("/ready"), null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("ready");
        assertThat(body.at("/dynamodb/status").asText()).isEqualTo("up");
        assertThat(body.at("/upstreams/0/name").asText()).isEqualTo("ollama");
        assertThat(body.at("/upstreams/0/status").asText()).isIn("unknown", "up");
        assertThat(response.body()).doesNotContain(server.upstream().baseUrl().toString()).doesNotContain("127.0.0.1");
    }

    @Test
    void notReadyIsA503InTheErrorEnvelopeWhileHealthStaysUp() throws Exception {
        // The same application with DynamoDB's endpoint on a port where nothing listens.
        try (TestServer blind = TestServer.start(Map.of(
                "tollgate.dynamodb.endpoint", "http://127.0.0.1:9",
                "tollgate.dynamodb.create-tables", false))) {
            HttpResponse<String> ready = Http.get(blind.baseUrl().resolve("/ready"), null);

            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode body = JSON.readTree(ready.body());
            assertThat(body.at("/error/code").asText()).isEqualTo("service_unavailable");
            assertThat(body.at("/error/type").asText()).isEqualTo("api_error");
            assertThat(body.at("/error/message").asText()).startsWith("Not ready: DynamoDB did not answer.");
            assertThat(body.at("/dynamodb/status").asText()).isEqualTo("down");
            assertThat(body.get("upstreams").isArray()).isTrue();
            assertThat(Http.get(blind.baseUrl().resolve("/health"), null).statusCode()).isEqualTo(200);
        }
    }
}
