package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model whose upstream is down (nothing listens at its address): the caller learns it at once, with the address
 * to start, even through an OpenAI SDK that retries 5xx answers by default; and {@code GET /ready} shows it down.
 * Regression: with no Ollama running, the SDKs waited 12 s (their retries of a 503 with Retry-After: 5) and only
 * the server's log named the address.
 */
class UnreachableUpstreamIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static TestServer.Account account;

    @BeforeAll
    static void start() throws Exception {
        Path overlay = Path.of(UnreachableUpstreamIT.class.getResource("/catalog/test-overlay.json").toURI());
        server = TestServer.start(Map.of(
                "tollgate.catalog-files", List.of(overlay.toString()),
                "tollgate.upstreams.dead.base-url", "http://127.0.0.1:9/v1",
                "tollgate.upstreams.dead.api-key", "sk-upstream-secret"));
        account = server.openAccount("5.00");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anSdkWithItsDefaultRetriesFailsAtOnceWithTheUpstreamsAddressAndNotItsKey() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.apiBase().toString())
                .apiKey(account.key()).timeout(Duration.ofSeconds(30)).build();
        try {
            long start = System.nanoTime();

            InternalServerException e = catchThrowableOfType(InternalServerException.class, () -> client.chat()
                    .completions().create(ChatCompletionCreateParams.builder().model("test/dead").addUserMessage("hi").build()));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no SDK retries").isLessThan(Duration.ofSeconds(3));
            assertThat(e).isNotNull();
            assertThat(e.statusCode()).isEqualTo(503);
            String body = e.body().toString();
            assertThat(body).contains("dead at http://127.0.0.1:9/v1").contains("connection refused")
                    .doesNotContain("sk-upstream-secret");
        } finally {
            client.close();
        }
    }

    @Test
    void readyReportsTheUpstreamDownAfterACallFoundItSo() throws Exception {
        Http.post(server.apiBase().resolve("/v1/chat/completions"), account.key(),
                "{\"model\":\"test/dead\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        JsonNode ready = JSON.readTree(Http.get(server.baseUrl().resolve("/ready"), null).body());

        JsonNode dead = null;
        for (JsonNode upstream : ready.get("upstreams")) {
            if (upstream.get("name").asText().equals("dead")) {
                dead = upstream;
            }
        }
        assertThat(dead).as(ready.toString()).isNotNull();
        assertThat(dead.get("status").asText()).isEqualTo("down");
        assertThat(dead.get("detail").asText()).isEqualTo("connection refused");
        assertThat(dead.get("checked_at").asText()).isNotBlank();
        assertThat(ready.get("status").asText()).as("one upstream down leaves the instance ready").isEqualTo("ready");
    }
}
