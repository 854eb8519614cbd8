package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.Model;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import dev.tollgate.testkit.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}) pointed at a real Tollgate: what a customer
 * does on day one. Every answer must parse with the SDK's own types, Tollgate's extras ({@code usage.cost})
 * must be reachable through the SDK's additional properties, and errors must surface as the SDK's typed
 * exceptions carrying our OpenAI error envelope.
 */
class OpenAiSdkCompatibilityIT {

    private static final String MODEL = "qwen3:latest";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static TestServer server;
    private static TestServer.Account account;
    private static OpenAIClient client;
    /** No SDK retries, so the number of upstream calls in error tests is exactly the gateway's. */
    private static OpenAIClient noRetryClient;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
        account = server.openAccount("5.00");
        client = clientWithKey(account.key(), 2);
        noRetryClient = clientWithKey(account.key(), 0);
    }

    @AfterAll
    static void stopServer() {
        if (client != null) {
            client.close();
        }
        if (noRetryClient != null) {
            noRetryClient.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void resetUpstream() {
        server.upstream().reset();
    }

    @AfterEach
    void noHoldLeftOpen() {
        // Every request settles exactly once: with nothing in flight the ledger sums to the balance.
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    private static OpenAIClient clientWithKey(String key, int maxRetries) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(server.apiBase().toString())
                .apiKey(key)
                .maxRetries(maxRetries)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    private static ChatCompletionCreateParams.Builder chat(String model) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("Say hello from the fake upstream.");
    }

    private static Optional<String> additionalString(Map<String, JsonValue> properties, String name) {
        JsonValue value = properties.get(name);
        return value == null ? Optional.empty() : value.asString();
    }

    @Test
    void bufferedChatParsesWithTheSdkAndCarriesTheCost() throws InterruptedException {
        Money before = server.balance(account.accountId());

        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(chat(MODEL).build());
        ChatCompletion completion = raw.parse();

        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).contains("Hello from fake");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.model()).isEqualTo(MODEL);
        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(11);
        assertThat(usage.completionTokens()).isEqualTo(3);
        assertThat(usage.totalTokens()).isEqualTo(14);
        // (11 × 200,000 + 3 × 600,000) µ$/1M tokens = 4,000,000 / 1e6 = exactly 4 µ$, nothing to round.
        assertThat(additionalString(usage._additionalProperties(), "cost")).contains("0.000004");
        assertThat(raw.headers().values("x-tollgate-cost-usd")).containsExactly("0.000004");
        assertThat(raw.headers().values("x-request-id")).hasSize(1);
        assertThat(server.balance(account.accountId())).isEqualTo(before.minus(Money.ofMicros(4)));
        assertThat(raw.headers().values("x-tollgate-balance-micros"))
                .containsExactly(Long.toString(server.balance(account.accountId()).micros()));

        RecordedRequest upstream = server.upstream().takeRequest(WAIT);
        assertThat(upstream).isNotNull();
        assertThat(upstream.path()).endsWith("/chat/completions");
        JsonNode body = upstream.json();
        assertThat(body.path("model").asText()).isEqualTo("qwen3:latest");
        assertThat(body.path("messages").path(0).path("content").asText()).isEqualTo("Say hello from the fake upstream.");
        assertThat(body.path("stream").asBoolean(false)).isFalse();
    }

    @Test
    void bufferedChatShowsThePublicModelIdWhenTheUpstreamNameDiffers() throws InterruptedException {
        ChatCompletion completion = client.chat().completions().create(chat("qwen/qwen3-coder:free").build());

        assertThat(completion.model()).isEqualTo("qwen/qwen3-coder:free");
        assertThat(completion.choices().getFirst().message().content()).contains("Hello from fake");
        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.totalTokens()).isEqualTo(14);
        assertThat(additionalString(usage._additionalProperties(), "cost")).contains("0.000000");
        assertThat(server.upstream().takeRequest(WAIT).json().path("model").asText()).isEqualTo("qwen3-coder:latest");
    }

    @Test
    void streamingWithIncludeUsageDeliversDeltasAndAFinalUsageChunk() throws InterruptedException {
        Money before = server.balance(account.accountId());
        ChatCompletionCreateParams params = chat(MODEL)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }

        assertThat(contentOf(chunks)).isEqualTo("Hello from fake");
        assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo(MODEL));
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        CompletionUsage usage = last.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(11);
        assertThat(usage.completionTokens()).isEqualTo(3);
        assertThat(usage.totalTokens()).isEqualTo(14);
        assertThat(additionalString(usage._additionalProperties(), "cost")).contains("0.000004");
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.usage()).isEmpty());
        assertThat(chunks).anySatisfy(c -> assertThat(c.choices()).anySatisfy(choice ->
                assertThat(choice.finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP)));
        assertThat(server.balance(account.accountId())).isEqualTo(before.minus(Money.ofMicros(4)));

        JsonNode upstream = server.upstream().takeRequest(WAIT).json();
        assertThat(upstream.path("model").asText()).isEqualTo("qwen3:latest");
        assertThat(upstream.path("stream").asBoolean()).isTrue();
        assertThat(upstream.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void streamingWithoutIncludeUsageStillParsesAndIsBilled() throws InterruptedException {
        Money before = server.balance(account.accountId());

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat(MODEL).build())) {
            stream.stream().forEach(chunks::add);
        }

        assertThat(contentOf(chunks)).isEqualTo("Hello from fake");
        // Tollgate always reports usage in a trailing choice-less chunk; the SDK must take it in its stride.
        assertThat(chunks.getLast().usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isEqualTo(14));
        assertThat(server.balance(account.accountId())).isEqualTo(before.minus(Money.ofMicros(4)));

        JsonNode upstream = server.upstream().takeRequest(WAIT).json();
        assertThat(upstream.path("stream_options").path("include_usage").asBoolean())
                .as("include_usage is always requested upstream")
                .isTrue();
    }

    @Test
    void modelListContainsTheCatalog() {
        List<Model> models = client.models().list().data();

        assertThat(models).extracting(Model::id).contains(
                "qwen3:latest", "gemma3:1b", "qwen3-vl:235b-cloud", "deepseek-v3.1:671b-cloud", "qwen/qwen3-coder:free");
        Model qwen = models.stream().filter(m -> m.id().equals(MODEL)).findFirst().orElseThrow();
        assertThat(qwen.ownedBy()).isEqualTo("qwen");
        assertThat(qwen.created()).isPositive();
        assertThat(qwen._additionalProperties()).containsKeys("context_length", "pricing", "capabilities");
        assertThat(server.upstream().requests()).as("the model list is served from the catalog").isEmpty();
    }

    @Test
    void modelRetrieveWorksForIdsWithSlashes() {
        Model model = client.models().retrieve("qwen/qwen3-coder:free");

        assertThat(model.id()).isEqualTo("qwen/qwen3-coder:free");
    }

    @Test
    void unknownKeyIsAnUnauthorizedException() {
        String unknown = "sk-tg-" + "A".repeat(40);
        OpenAIClient stranger = clientWithKey(unknown, 0);
        try {
            UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class,
                    () -> stranger.chat().completions().create(chat(MODEL).build()));

            assertThat(e).isNotNull();
            assertThat(e.statusCode()).isEqualTo(401);
            assertThat(e.code()).contains("invalid_api_key");
            assertErrorEnvelope(e);
        } finally {
            stranger.close();
        }
        assertThat(server.upstream().requests()).isEmpty();
    }

    @Test
    void unknownModelIsANotFoundException() {
        NotFoundException e = catchThrowableOfType(NotFoundException.class,
                () -> noRetryClient.chat().completions().create(chat("gpt-nonexistent").build()));

        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.code()).contains("model_not_found");
        assertThat(errorMessage(e)).contains("gpt-nonexistent");
        assertThat(server.upstream().requests()).isEmpty();
    }

    @Test
    void upstreamFailureIsAnInternalServerExceptionWithOurEnvelope() {
        Money before = server.balance(account.accountId());
        Behavior boom = Behavior.error(500, "{\"error\":{\"message\":\"boom\"}}");
        server.upstream().enqueue(boom, boom); // the first attempt and the gateway's one retry

        InternalServerException e = catchThrowableOfType(InternalServerException.class,
                () -> noRetryClient.chat().completions().create(chat(MODEL).build()));

        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(502);
        assertThat(e.code()).contains("gateway_error");
        assertThat(errorMessage(e)).contains("The upstream serving qwen3:latest failed (HTTP 500)");
        assertThat(server.upstream().requests()).hasSize(2);
        assertThat(server.balance(account.accountId())).as("a failed request costs nothing").isEqualTo(before);
    }

    @Test
    void upstreamFailureBeforeTheFirstByteOfAStreamIsAnInternalServerException() {
        Behavior boom = Behavior.error(500, "{\"error\":{\"message\":\"boom\"}}");
        server.upstream().enqueue(boom, boom);

        InternalServerException e = catchThrowableOfType(InternalServerException.class, () -> {
            try (StreamResponse<ChatCompletionChunk> stream =
                    noRetryClient.chat().completions().createStreaming(chat(MODEL).build())) {
                stream.stream().forEach(c -> { });
            }
        });

        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(502);
        assertThat(e.code()).contains("gateway_error");
        assertThat(server.upstream().requests()).hasSize(2);
    }

    private static String contentOf(List<ChatCompletionChunk> chunks) {
        StringBuilder text = new StringBuilder();
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                choice.delta().content().ifPresent(text::append);
            }
        }
        return text.toString();
    }

    /** The {@code error.message} of our envelope as the SDK parsed it. */
    private static String errorMessage(OpenAIServiceException e) {
        JsonNode body = com.openai.core.ObjectMappers.jsonMapper().valueToTree(e.body());
        JsonNode message = body.has("error") ? body.path("error").path("message") : body.path("message");
        return message.asText("");
    }

    private static void assertErrorEnvelope(OpenAIServiceException e) {
        assertThat(errorMessage(e)).isNotBlank();
        assertThat(e.type()).isPresent();
    }
}
