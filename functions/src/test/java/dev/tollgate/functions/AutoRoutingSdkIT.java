package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.tollgate.functions.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK sends {@code model="auto"} and gets a completion from the model Tollgate chose,
 * with the route readable through {@code withRawResponse()}; {@code models} and {@code max_price} go through the
 * SDK's additional body properties, as OpenRouter's documentation tells SDK users to send them.
 */
class AutoRoutingSdkIT {

    private static TestServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        Path overlay = Path.of(AutoRoutingSdkIT.class.getResource("/catalog/test-overlay.json").toURI());
        server = TestServer.start(Map.of(
                "tollgate.catalog-files", List.of(overlay.toString()),
                "tollgate.upstreams.dead.base-url", "http://127.0.0.1:9/v1",
                "tollgate.upstreams.dead.retry-backoff", "0ms"));
        TestServer.Account account = server.openAccount("5.00");
        client = OpenAIOkHttpClient.builder().baseUrl(server.apiBase().toString()).apiKey(account.key())
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @BeforeEach
    void reset() {
        server.upstream().reset();
    }

    @Test
    void autoAnswersFromTheChosenModelWithTheRouteInTheRawResponse() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("auto")
                .addUserMessage("Write a Python function that reverses a string.").build();

        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params);
        ChatCompletion completion = raw.parse();

        assertThat(raw.headers().values("x-tollgate-route")).containsExactly("auto: code -> qwen/qwen3-coder:free");
        assertThat(completion.model()).isEqualTo("qwen/qwen3-coder:free");
        assertThat(completion.choices().getFirst().message().content()).contains("Hello from fake");
    }

    @Test
    void aStreamedAutoRequestCarriesTheRouteInItsHeadersAndTheModelInEveryChunk() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("auto")
                .addUserMessage("What is the capital of France?").build();

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw =
                client.chat().completions().withRawResponse().createStreaming(params);
        assertThat(raw.headers().values("x-tollgate-route")).containsExactly("auto: general -> gemma3:1b");
        try (StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
            stream.stream().forEach(chunks::add);
        }

        assertThat(chunks).isNotEmpty().allSatisfy(c -> assertThat(c.model()).isEqualTo("gemma3:1b"));
    }

    @Test
    void fallbacksSentAsAnAdditionalBodyPropertyServeFromTheNextModel() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("test/dead")
                .addUserMessage("Hello")
                .putAdditionalBodyProperty("models", JsonValue.from(List.of("gemma3:1b"))).build();

        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params);

        assertThat(raw.parse().model()).isEqualTo("gemma3:1b");
        assertThat(raw.headers().values("x-tollgate-route"))
                .containsExactly("fallback: test/dead failed (unreachable) -> gemma3:1b");
    }

    @Test
    void aMaxPriceNothingMeetsIsTheSdksBadRequest() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("auto").addUserMessage("Hello")
                .putAdditionalBodyProperty("max_price", JsonValue.from(Map.of("completion", 0.01))).build();

        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> client.chat().completions().create(params));

        assertThat(e).isNotNull();
        assertThat(e.body().toString()).contains("max_price.completion");
        assertThat(server.upstream().requests()).isEmpty();
    }

    @Test
    void theSdkListsAndRetrievesAuto() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).contains("auto");

        Model auto = client.models().retrieve("auto");
        assertThat(auto.ownedBy()).isEqualTo("tollgate");
        assertThat(auto._additionalProperties()).containsKey("routing");
    }
}
