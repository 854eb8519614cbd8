package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model whose server thinks only when streaming ({@code reasoning_needs_stream}): a buffered request reaches the
 * upstream with the family's switch off and says so in {@code x-tollgate-reasoning}; a streamed one keeps it on.
 */
class ReasoningNeedsStreamIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static TestServer.Account account;

    @BeforeAll
    static void start() throws Exception {
        Path overlay = Path.of(ReasoningNeedsStreamIT.class.getResource("/catalog/test-stream-thinker.json").toURI());
        server = TestServer.start(Map.of("tollgate.catalog-files", List.of(overlay.toString())));
        account = server.openAccount("1.00");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.upstream().reset();
    }

    @Test
    void aBufferedRequestGoesUpWithThinkingOffAndTheResponseSaysSo() throws Exception {
        HttpResponse<String> response = Http.post(chat(), account.key(), "{\"model\":\"test/stream-thinker\","
                + "\"reasoning_effort\":\"high\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-reasoning")).hasValue("disabled (needs stream)");
        JsonNode upstream = server.upstream().requests().getLast().json();
        assertThat(upstream.at("/chat_template_kwargs/enable_thinking").isBoolean()).isTrue();
        assertThat(upstream.at("/chat_template_kwargs/enable_thinking").asBoolean()).isFalse();
        assertThat(upstream.has("reasoning_effort")).isFalse();
    }

    @Test
    void aStreamedRequestKeepsThinkingOnAndHasNoNote() throws Exception {
        HttpResponse<String> response = Http.post(chat(), account.key(), "{\"model\":\"test/stream-thinker\","
                + "\"stream\":true,\"reasoning_effort\":\"high\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("data: [DONE]");
        assertThat(response.headers().firstValue("x-tollgate-reasoning")).isEmpty();
        assertThat(server.upstream().requests().getLast().json().at("/chat_template_kwargs/enable_thinking").asBoolean())
                .isTrue();
    }

    private static URI chat() {
        return server.apiBase().resolve("/v1/chat/completions");
    }
}
