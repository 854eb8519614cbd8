package dev.tollgate.upstream.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.testkit.Behavior;
import dev.tollgate.testkit.FakeOpenAiUpstream;
import dev.tollgate.testkit.RecordedRequest;
import dev.tollgate.upstream.UpstreamException;
import dev.tollgate.upstream.UpstreamSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible adapter's embeddings call against a real HTTP server: path, body as given, retries. */
class OpenAiCompatibleEmbeddingsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeOpenAiUpstream upstream;
    private static OpenAiCompatibleProvider provider;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAiUpstream.start();
        UpstreamSettings settings = new UpstreamSettings("ollama", upstream.baseUrl(), "sk-upstream", Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), 1, Duration.ZERO, Map.of("X-Extra", "1"));
        provider = new OpenAiCompatibleProvider(settings);
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    @Test
    void postsTheBodyUnchangedToEmbeddingsAndReturnsTheAnswer() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"model\":\"nomic-embed-text\",\"input\":[\"a\",\"b\"],\"keep_alive\":\"5m\"}");

        byte[] answer = provider.embeddings(body);

        RecordedRequest sent = upstream.requests().getFirst();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/embeddings");
        assertThat(sent.json()).isEqualTo(body);
        assertThat(sent.header("authorization")).isEqualTo("Bearer sk-upstream");
        assertThat(sent.header("x-extra")).isEqualTo("1");
        assertThat(JSON.readTree(new String(answer, StandardCharsets.UTF_8)).path("data")).hasSize(2);
    }

    @Test
    void aRetryableFailureIsRetriedOnce() throws Exception {
        upstream.enqueue(Behavior.error(503, null));

        provider.embeddings((ObjectNode) JSON.readTree("{\"model\":\"m\",\"input\":\"a\"}"));

        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void aRefusalIsAnErrorStatusCarryingTheUpstreamsBody() {
        upstream.enqueue(Behavior.error(400, "{\"error\":{\"message\":\"input too long\"}}"));

        UpstreamException e = catchThrowableOfType(UpstreamException.class,
                () -> provider.embeddings((ObjectNode) JSON.readTree("{\"model\":\"m\",\"input\":\"a\"}")));

        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.ERROR_STATUS);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.body()).contains("input too long");
        assertThat(upstream.requests()).hasSize(1);
    }
}
