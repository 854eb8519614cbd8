package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.functions.wiring.EmbeddingsFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK's embeddings call against Tollgate's in-process model, on a server that preloads
 * the model at start-up ({@code tollgate.embeddings.preload}). The SDK asks for base64 unless told otherwise.
 */
class EmbeddingsSdkIT {

    private static final String MODEL = "all-minilm-l6-v2";
    private static TestServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("tollgate.embeddings.preload", true));
        TestServer.Account account = server.openAccount("1.00");
        client = OpenAIOkHttpClient.builder().baseUrl(server.apiBase().toString()).apiKey(account.key())
                .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @Test
    void theModelWasLoadedAtStartUpAndItsLoadTimeRecorded() {
        Map<String, Duration> loaded = server.context().getBean(EmbeddingsFactory.StartedInProcessModels.class).loadTimes();

        assertThat(loaded).containsOnlyKeys("all-minilm-l6-v2-q");
        assertThat(loaded.get("all-minilm-l6-v2-q")).isPositive().isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void theSdksEmbeddingsCallParsesWithItsOwnTypes() {
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model(MODEL).inputOfArrayOfStrings(List.of("first input", "second input", "third")).build());

        assertThat(response.model()).isEqualTo(MODEL);
        assertThat(response.data()).extracting(Embedding::index).containsExactly(0L, 1L, 2L);
        assertThat(response.data()).allSatisfy(e -> assertThat(e.embedding()).hasSize(384));
        assertThat(response.usage().promptTokens()).isEqualTo(4 + 4 + 3);
        assertThat(response.usage().totalTokens()).isEqualTo(response.usage().promptTokens());
        JsonValue cost = response.usage()._additionalProperties().get("cost");
        assertThat(cost.asString()).hasValue("0.000001");
    }

    @Test
    void theSdkGetsTheSameVectorsAsFloatsAndAsBase64() {
        EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder().model(MODEL).input("The same sentence twice.");

        List<Float> asFloats = client.embeddings().create(params.encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                .build()).data().getFirst().embedding();
        List<Float> asBase64 = client.embeddings().create(params.encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64)
                .build()).data().getFirst().embedding();

        assertThat(asBase64).hasSize(384).containsExactlyElementsOf(asFloats);
    }

    @Test
    void aTooLongInputIsTheSdksBadRequestException() {
        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> client.embeddings().create(
                EmbeddingCreateParams.builder().model(MODEL).input("word ".repeat(400)).build()));

        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.code()).hasValue("invalid_request_error");
        assertThat(e.param()).hasValue("input");
    }
}
